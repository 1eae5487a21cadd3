package dev.tollgate.formats.pe;

import java.util.Objects;
import java.util.Optional;

/**
 * One exported function (PE/COFF specification, "The .edata Section").
 *
 * @param ordinal the biased ordinal (the export directory's ordinal base plus the index in the address table)
 * @param name the exported name, absent for an export by ordinal only
 * @param rva the function's RVA; for a forwarder, the RVA of the forwarder string
 * @param forwarder the forwarder ({@code OTHERDLL.Function} or {@code OTHERDLL.#12}) when the export is forwarded
 */
public record PeExport(long ordinal, Optional<String> name, long rva, Optional<String> forwarder) {

    public PeExport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(forwarder, "forwarder");
    }

    /** The name, or {@code #ordinal} when there is none. */
    public String displayName() {
        return name.isPresent() ? name.get() : "#" + ordinal;
    }
}
