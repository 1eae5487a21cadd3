package dev.tollgate.formats.pe;

import dev.tollgate.formats.TruncatedException;
import java.util.List;
import java.util.Optional;

/**
 * Reads the import directory (PE/COFF specification, "The .idata Section"): an array of 20-byte Import Directory
 * Table entries ending with an all-zero entry, each naming a DLL and pointing at its Import Lookup Table.
 */
final class ImportDirectory {

    private static final int DESCRIPTOR_SIZE = 20;

    private ImportDirectory() {}

    static void read(MappedImage image, Optional<DataDirectory> directory, List<PeImport> out) {
        if (directory.isEmpty() || directory.get().virtualAddress() == 0) {
            return;
        }
        DataDirectory dir = directory.get();
        long table = image.offset(dir.virtualAddress());
        if (table == AddressMap.UNMAPPED) {
            image.anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA,
                    dir.entryOffset(),
                    "import directory RVA 0x" + Long.toHexString(dir.virtualAddress()) + " is not in the file");
            return;
        }
        for (int i = 0; ; i++) {
            long at = table + (long) DESCRIPTOR_SIZE * i;
            if (i == PeFile.MAX_IMPORT_DLLS) {
                image.anomalies.add(
                        PeAnomaly.Kind.LIMIT,
                        at,
                        "more than " + PeFile.MAX_IMPORT_DLLS + " import descriptors; the rest are not read");
                return;
            }
            long lookupTable;
            long nameRva;
            long addressTable;
            try {
                image.data.require(at, DESCRIPTOR_SIZE, "import descriptor");
                lookupTable = image.data.u32(at, "OriginalFirstThunk");
                nameRva = image.data.u32(at + 12, "Name");
                addressTable = image.data.u32(at + 16, "FirstThunk");
            } catch (TruncatedException e) {
                image.anomalies.add(PeAnomaly.Kind.TRUNCATED, at, "import directory: " + e.getMessage());
                return;
            }
            if (lookupTable == 0 && nameRva == 0 && addressTable == 0) {
                return; // The null descriptor ends the table.
            }
            String dll = image.name(nameRva, at + 12, "import DLL name");
            if (dll == null) {
                continue;
            }
            // Some linkers leave OriginalFirstThunk 0; the IAT then still holds the lookup entries on disk.
            long thunks = lookupTable != 0 ? lookupTable : addressTable;
            if (!Thunks.read(image, dll, thunks, at, false, 0, out)) {
                return;
            }
        }
    }
}
