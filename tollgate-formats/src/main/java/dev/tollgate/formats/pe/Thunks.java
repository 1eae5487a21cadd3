package dev.tollgate.formats.pe;

import dev.tollgate.formats.TruncatedException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads an Import Lookup Table (PE/COFF specification, "Import Lookup Table"): pointer-sized entries ending with 0,
 * each an ordinal (top bit set) or the RVA of a Hint/Name Table entry (a 2-byte hint and a NUL-terminated name).
 */
final class Thunks {

    private Thunks() {}

    /**
     * Appends the imports of {@code dll} whose lookup table is at {@code tableRva} to {@code out}.
     *
     * @param descriptor the file offset of the descriptor that points here, for anomalies
     * @param bias subtracted from every address read, to turn the old delay-load form's VAs into RVAs (0 for RVAs)
     * @return false when the limit on lookup entries read in all was reached and no more should be read
     */
    static boolean read(
            MappedImage image,
            String dll,
            long tableRva,
            long descriptor,
            boolean delayed,
            long bias,
            List<PeImport> out) {
        long table = image.offset(tableRva);
        if (table == AddressMap.UNMAPPED) {
            image.anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA,
                    descriptor,
                    "import lookup table of " + dll + " at RVA 0x" + Long.toHexString(tableRva)
                            + " is not in the file");
            return true;
        }
        int size = image.pointerSize();
        long ordinalFlag = image.pe32Plus ? Long.MIN_VALUE : 0x80000000L;
        for (int i = 0; ; i++) {
            long at = table + (long) size * i;
            // Counts entries read, not imports found, so that descriptors sharing one long table of bad entries
            // cannot multiply the work.
            if (image.thunksRead++ >= PeFile.MAX_IMPORTS) {
                image.anomalies.add(
                        PeAnomaly.Kind.LIMIT,
                        at,
                        "more than " + PeFile.MAX_IMPORTS + " import lookup entries; the rest are not read");
                return false;
            }
            if (i == PeFile.MAX_FUNCTIONS_PER_DLL) {
                image.anomalies.add(
                        PeAnomaly.Kind.LIMIT,
                        at,
                        "more than " + PeFile.MAX_FUNCTIONS_PER_DLL + " functions imported from " + dll
                                + "; the rest are not read");
                return true;
            }
            long entry;
            try {
                entry = image.pointer(at, "import lookup entry");
            } catch (TruncatedException e) {
                image.anomalies.add(
                        PeAnomaly.Kind.TRUNCATED, at, "import lookup table of " + dll + ": " + e.getMessage());
                return true;
            }
            if (entry == 0) {
                return true;
            }
            if ((entry & ordinalFlag) != 0) {
                out.add(new PeImport(dll, Optional.empty(), OptionalInt.of((int) (entry & 0xffff)), delayed));
                continue;
            }
            // Hint/Name RVAs are 31 bits; in PE32+ bits 62-31 must be zero.
            long hintName = (entry - bias) & 0xffffffffL;
            if (image.pe32Plus && (entry >>> 32) != 0 && bias == 0) {
                image.anomalies.add(
                        PeAnomaly.Kind.IMPORT_EXPORT,
                        at,
                        "import lookup entry 0x" + Long.toHexString(entry) + " of " + dll + " has reserved bits set");
                continue;
            }
            long hintAt = image.offset(hintName);
            if (hintAt == AddressMap.UNMAPPED) {
                image.anomalies.add(
                        PeAnomaly.Kind.UNMAPPED_RVA,
                        at,
                        "hint/name RVA 0x" + Long.toHexString(hintName) + " of an import from " + dll
                                + " is not in the file");
                continue;
            }
            int hint;
            try {
                hint = image.data.u16(hintAt, "import hint");
            } catch (TruncatedException e) {
                image.anomalies.add(PeAnomaly.Kind.TRUNCATED, hintAt, e.getMessage());
                continue;
            }
            String name = image.name(hintName + 2, at, "imported function name");
            if (name != null) {
                out.add(new PeImport(dll, Optional.of(name), OptionalInt.empty(), delayed, OptionalInt.of(hint)));
            }
        }
    }
}
