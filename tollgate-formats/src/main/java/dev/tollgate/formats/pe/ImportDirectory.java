package dev.tollgate.formats.pe;

import java.util.List;
import java.util.Optional;

/** Reads the import directory (PE/COFF specification, "The .idata Section"). */
final class ImportDirectory {

    private ImportDirectory() {}

    static void read(MappedImage image, Optional<DataDirectory> directory, List<PeImport> out) {
        // Filled in next.
    }
}
