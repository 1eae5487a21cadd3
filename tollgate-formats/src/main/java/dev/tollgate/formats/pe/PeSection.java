package dev.tollgate.formats.pe;

import java.util.Objects;

/**
 * One entry of the section table (PE/COFF specification, "Section Table (Section Headers)").
 *
 * @param name the section name; a COFF long name ({@code /123}) is resolved through the string table when present
 * @param virtualAddress the section's RVA
 * @param virtualSize its size in memory
 * @param pointerToRawData the file offset of its raw data
 * @param sizeOfRawData the size of its raw data in the file, as declared
 * @param characteristics the {@code IMAGE_SCN_*} flags
 * @param entropy the Shannon entropy of the raw data actually present in the file, in bits per byte (0 to 8); 0 when
 *     there is none
 */
public record PeSection(
        String name,
        long virtualAddress,
        long virtualSize,
        long pointerToRawData,
        long sizeOfRawData,
        long characteristics,
        double entropy) {

    /** IMAGE_SCN_CNT_CODE. */
    public static final long CNT_CODE = 0x00000020L;
    /** IMAGE_SCN_MEM_EXECUTE. */
    public static final long MEM_EXECUTE = 0x20000000L;
    /** IMAGE_SCN_MEM_WRITE. */
    public static final long MEM_WRITE = 0x80000000L;

    public PeSection {
        Objects.requireNonNull(name, "name");
        if (entropy < 0 || entropy > 8) {
            throw new IllegalArgumentException("entropy out of [0, 8]: " + entropy);
        }
    }

    /** True when the section is mapped executable or marked as holding code. */
    public boolean executable() {
        return (characteristics & (MEM_EXECUTE | CNT_CODE)) != 0;
    }

    /** True when the section is mapped writable. */
    public boolean writable() {
        return (characteristics & MEM_WRITE) != 0;
    }
}
