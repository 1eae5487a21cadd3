package dev.tollgate.formats.pe;

import java.util.List;
import java.util.Optional;

/** Reads the delay-load import directory (PE/COFF specification, "Delay-Load Import Tables"). */
final class DelayImportDirectory {

    private DelayImportDirectory() {}

    static void read(MappedImage image, Optional<DataDirectory> directory, List<PeImport> out) {
        // Filled in next.
    }
}
