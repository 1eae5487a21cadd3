package dev.tollgate.formats.pe;

import java.util.List;
import java.util.Optional;

/** Reads the export directory (PE/COFF specification, "The .edata Section"). */
final class ExportDirectory {

    private ExportDirectory() {}

    static List<PeExport> read(MappedImage image, Optional<DataDirectory> directory) {
        return List.of();
    }
}
