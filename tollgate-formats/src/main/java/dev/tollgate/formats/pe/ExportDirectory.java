package dev.tollgate.formats.pe;

import dev.tollgate.formats.TruncatedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the export directory (PE/COFF specification, "The .edata Section"): the 40-byte Export Directory Table, the
 * Export Address Table (one RVA per ordinal), and the parallel Name Pointer and Ordinal Tables that give some ordinals
 * a name. An address inside the export directory's own range is a forwarder string, not code.
 *
 * <p>Each table is read contiguously from the file offset of its first entry, as the tables always lie within one
 * section.
 */
final class ExportDirectory {

    private static final int DIRECTORY_SIZE = 40;

    /** A second name for an address table index that already has one. */
    private record Alias(int index, String name) {}

    private ExportDirectory() {}

    static List<PeExport> read(MappedImage image, Optional<DataDirectory> directory) {
        if (directory.isEmpty() || directory.get().virtualAddress() == 0) {
            return List.of();
        }
        DataDirectory dir = directory.get();
        long at = image.offset(dir.virtualAddress());
        if (at == AddressMap.UNMAPPED) {
            image.anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA,
                    dir.entryOffset(),
                    "export directory RVA 0x" + Long.toHexString(dir.virtualAddress()) + " is not in the file");
            return List.of();
        }
        long ordinalBase;
        long functionCount;
        long nameCount;
        long addressTableRva;
        long namePointerRva;
        long ordinalTableRva;
        try {
            image.data.require(at, DIRECTORY_SIZE, "export directory");
            ordinalBase = image.data.u32(at + 16, "export OrdinalBase");
            functionCount = image.data.u32(at + 20, "export AddressTableEntries");
            nameCount = image.data.u32(at + 24, "export NumberOfNamePointers");
            addressTableRva = image.data.u32(at + 28, "ExportAddressTableRVA");
            namePointerRva = image.data.u32(at + 32, "NamePointerRVA");
            ordinalTableRva = image.data.u32(at + 36, "OrdinalTableRVA");
        } catch (TruncatedException e) {
            image.anomalies.add(PeAnomaly.Kind.TRUNCATED, at, "export directory: " + e.getMessage());
            return List.of();
        }
        int functions = capped(image, functionCount, at + 20, "export address table entries");
        int names = capped(image, nameCount, at + 24, "export names");
        long addressTable = functions == 0 ? 0 : image.offset(addressTableRva);
        if (functions > 0 && addressTable == AddressMap.UNMAPPED) {
            image.anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA,
                    at + 28,
                    "export address table RVA 0x" + Long.toHexString(addressTableRva) + " is not in the file");
            functions = 0;
        }
        // Only entries present in the file can be read; sizing the arrays by them bounds memory by the file.
        long present = functions == 0 ? 0 : (image.data.size() - addressTable) / 4;
        if (functions > present) {
            image.anomalies.add(
                    PeAnomaly.Kind.TRUNCATED,
                    addressTable,
                    "export address table of " + functions + " entries runs past the end of the file after " + present);
            functions = (int) present;
        }

        String[] nameOf = new String[functions];
        List<Alias> aliases = new ArrayList<>();
        long nameTable = names == 0 ? 0 : image.offset(namePointerRva);
        long ordinalTable = names == 0 ? 0 : image.offset(ordinalTableRva);
        if (names > 0 && (nameTable == AddressMap.UNMAPPED || ordinalTable == AddressMap.UNMAPPED)) {
            image.anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA,
                    at + 32,
                    "export name pointer table (RVA 0x" + Long.toHexString(namePointerRva)
                            + ") or ordinal table (RVA 0x" + Long.toHexString(ordinalTableRva)
                            + ") is not in the file");
            names = 0;
        }
        // Each table is read in one bounds-checked copy; an entry past the end of the file is read on its own, so
        // that the truncation is reported as the entry-by-entry read reports it.
        long[] namePointers = image.data.u32s(nameTable, names);
        char[] ordinals = image.data.u16s(ordinalTable, names);
        int copied = Math.min(namePointers.length, ordinals.length);
        for (int i = 0; i < names; i++) {
            long nameRva;
            int index;
            if (i < copied) {
                nameRva = namePointers[i];
                index = ordinals[i];
            } else {
                try {
                    nameRva = image.data.u32(nameTable + 4L * i, "export name pointer");
                    index = image.data.u16(ordinalTable + 2L * i, "export ordinal");
                } catch (TruncatedException e) {
                    image.anomalies.add(PeAnomaly.Kind.TRUNCATED, nameTable + 4L * i, e.getMessage());
                    break;
                }
            }
            if (index >= functions) {
                image.anomalies.add(
                        PeAnomaly.Kind.IMPORT_EXPORT,
                        ordinalTable + 2L * i,
                        "export name " + i + " refers to address table index " + index + " of " + functions);
                continue;
            }
            String name = image.name(nameRva, nameTable + 4L * i, "export name");
            if (name == null) {
                continue;
            }
            if (nameOf[index] == null) {
                nameOf[index] = name;
            } else {
                // A second name for the same address: an alias, kept so that no exported name is lost.
                aliases.add(new Alias(index, name));
            }
        }

        // functions is at most the number of entries present, so the whole address table is in the file.
        long[] addresses = image.data.u32s(addressTable, functions);
        List<PeExport> exports = new ArrayList<>(addresses.length + aliases.size());
        PeExport[] byIndex = new PeExport[functions];
        for (int i = 0; i < addresses.length; i++) {
            long rva = addresses[i];
            if (rva == 0 && nameOf[i] == null) {
                continue; // An unused ordinal.
            }
            String forwarder = null;
            if (rva >= dir.virtualAddress() && rva - dir.virtualAddress() < dir.size()) {
                forwarder = image.name(rva, addressTable + 4L * i, "export forwarder");
            }
            byIndex[i] =
                    new PeExport(ordinalBase + i, Optional.ofNullable(nameOf[i]), rva, Optional.ofNullable(forwarder));
            exports.add(byIndex[i]);
        }
        for (Alias alias : aliases) {
            PeExport target = alias.index() < byIndex.length ? byIndex[alias.index()] : null;
            if (target != null) {
                exports.add(
                        new PeExport(target.ordinal(), Optional.of(alias.name()), target.rva(), target.forwarder()));
            }
        }
        return List.copyOf(exports);
    }

    private static int capped(MappedImage image, long count, long field, String what) {
        if (count > PeFile.MAX_EXPORTS) {
            image.anomalies.add(
                    PeAnomaly.Kind.LIMIT,
                    field,
                    count + " " + what + " is more than " + PeFile.MAX_EXPORTS + "; only " + PeFile.MAX_EXPORTS
                            + " are read");
            return PeFile.MAX_EXPORTS;
        }
        return (int) count;
    }
}
