package dev.tollgate.formats.pe;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One imported function: by name (with the loader's hint) or by ordinal, from the import directory or the delay-load
 * import directory (PE/COFF specification, "The .idata Section" and "Delay-Load Import Tables").
 *
 * @param dll the DLL name as written in the file
 * @param function the function name, for an import by name
 * @param ordinal the ordinal, for an import by ordinal
 * @param delayed true when the import comes from the delay-load import directory
 * @param hint the hint (an index into the DLL's export name table), for an import by name
 */
public record PeImport(String dll, Optional<String> function, OptionalInt ordinal, boolean delayed, OptionalInt hint) {

    public PeImport {
        Objects.requireNonNull(dll, "dll");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(ordinal, "ordinal");
        Objects.requireNonNull(hint, "hint");
        if (function.isPresent() == ordinal.isPresent()) {
            throw new IllegalArgumentException("an import is by name or by ordinal, not both or neither: " + dll);
        }
    }

    /** An import without a hint. */
    public PeImport(String dll, Optional<String> function, OptionalInt ordinal, boolean delayed) {
        this(dll, function, ordinal, delayed, OptionalInt.empty());
    }

    /** {@code dll!function} or {@code dll!#ordinal}, the form reports use. */
    public String qualifiedName() {
        // Not orElseGet: its capturing lambda would be one more allocation per import.
        return function.isPresent() ? dll + "!" + function.get() : dll + "!#" + ordinal.getAsInt();
    }
}
