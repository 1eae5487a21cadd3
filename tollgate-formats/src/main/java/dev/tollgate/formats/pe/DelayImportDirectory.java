package dev.tollgate.formats.pe;

import dev.tollgate.formats.TruncatedException;
import java.util.List;
import java.util.Optional;

/**
 * Reads the delay-load import directory (PE/COFF specification, "Delay-Load Import Tables"): 32-byte descriptors
 * ending with an all-zero one. When bit 0 of Attributes is set (the form every current linker writes) the addresses are
 * RVAs; when it is clear (the old Visual C++ 6 form) they are virtual addresses, relative to ImageBase.
 */
final class DelayImportDirectory {

    private static final int DESCRIPTOR_SIZE = 32;
    private static final long ATTRIBUTE_RVA = 1;

    private DelayImportDirectory() {}

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
                    "delay import directory RVA 0x" + Long.toHexString(dir.virtualAddress()) + " is not in the file");
            return;
        }
        // The table ends with a null descriptor; linkers that omit it (binutils) size the directory exactly.
        long declared = dir.size() >= DESCRIPTOR_SIZE ? (dir.size() + DESCRIPTOR_SIZE - 1) / DESCRIPTOR_SIZE : -1;
        for (int i = 0; i != declared; i++) {
            long at = table + (long) DESCRIPTOR_SIZE * i;
            if (i == PeFile.MAX_IMPORT_DLLS) {
                image.anomalies.add(
                        PeAnomaly.Kind.LIMIT,
                        at,
                        "more than " + PeFile.MAX_IMPORT_DLLS + " delay import descriptors; the rest are not read");
                return;
            }
            long attributes;
            long nameField;
            long nameTableField;
            try {
                image.data.require(at, DESCRIPTOR_SIZE, "delay import descriptor");
                attributes = image.data.u32(at, "delay import Attributes");
                nameField = image.data.u32(at + 4, "DllNameRVA");
                nameTableField = image.data.u32(at + 16, "ImportNameTableRVA");
            } catch (TruncatedException e) {
                image.anomalies.add(PeAnomaly.Kind.TRUNCATED, at, "delay import directory: " + e.getMessage());
                return;
            }
            if (nameField == 0 && nameTableField == 0) {
                return; // The null descriptor ends the table.
            }
            // Old form: 32-bit VAs, so the bias is ImageBase modulo 2^32.
            long bias = (attributes & ATTRIBUTE_RVA) != 0 ? 0 : image.imageBase & 0xffffffffL;
            String dll = image.name((nameField - bias) & 0xffffffffL, at + 4, "delay import DLL name");
            if (dll == null) {
                continue;
            }
            if (nameTableField == 0) {
                image.anomalies.add(
                        PeAnomaly.Kind.IMPORT_EXPORT,
                        at + 16,
                        "delay import descriptor for " + dll + " has no import name table");
                continue;
            }
            long nameTable = (nameTableField - bias) & 0xffffffffL;
            if (!Thunks.read(image, dll, nameTable, at, true, bias, out)) {
                return;
            }
        }
    }
}
