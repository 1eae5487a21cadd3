package dev.tollgate.formats.pe;

/**
 * One entry of the optional header's data directory table (PE/COFF specification, "Optional Header Data
 * Directories").
 *
 * @param index the entry's index (0 export table, 1 import table, 2 resource table, 4 certificate table, 13 delay
 *     import descriptor, ...)
 * @param virtualAddress the table's RVA; for the certificate table (index 4) a file offset
 * @param size the table's size in bytes
 * @param entryOffset the file offset of this 8-byte entry in the optional header
 */
public record DataDirectory(int index, long virtualAddress, long size, long entryOffset) {

    public static final int EXPORT = 0;
    public static final int IMPORT = 1;
    public static final int RESOURCE = 2;
    public static final int CERTIFICATE = 4;
    public static final int DELAY_IMPORT = 13;

    public DataDirectory {
        if (index < 0 || index > 15) {
            throw new IllegalArgumentException("data directory index out of [0, 15]: " + index);
        }
    }

    /** True when the entry points at nothing. */
    public boolean isEmpty() {
        return virtualAddress == 0 || size == 0;
    }
}
