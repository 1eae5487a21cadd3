package dev.tollgate.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a report keeps of a PE file: enough for a reviewer and for diffing two releases.
 *
 * @param machine the COFF machine, e.g. {@code amd64}, {@code i386}, {@code arm64}
 * @param pe32Plus true for PE32+ (64-bit) images
 * @param dll true when the COFF characteristics mark a DLL
 * @param timeDateStamp the COFF build timestamp, seconds since 1970
 * @param sections the section table in file order
 * @param imports {@code dll!function} (or {@code dll!#ordinal}); delay imports are included and marked in the
 *     evidence of the analyzer that reads them, not here
 * @param exports exported names (or {@code #ordinal})
 * @param version the version resource's string table (FileVersion, ProductVersion, CompanyName, ...)
 * @param overlaySize bytes after the image's last section, including any certificate table
 */
public record PeSummary(
        String machine,
        boolean pe32Plus,
        boolean dll,
        long timeDateStamp,
        List<SectionInfo> sections,
        List<String> imports,
        List<String> exports,
        Map<String, String> version,
        long overlaySize) {

    public PeSummary {
        Objects.requireNonNull(machine, "machine");
        sections = List.copyOf(sections);
        imports = List.copyOf(imports);
        exports = List.copyOf(exports);
        version = Map.copyOf(version);
    }
}
