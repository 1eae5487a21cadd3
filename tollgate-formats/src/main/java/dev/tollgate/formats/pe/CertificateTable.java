package dev.tollgate.formats.pe;

import java.util.List;

/**
 * The attribute certificate table, found through data directory entry 4 whose "RVA" is a file offset (PE/COFF
 * specification, "The Attribute Certificate Table (Image Only)").
 *
 * @param offset the table's file offset
 * @param declaredSize the size in the data directory entry
 * @param entries the {@code WIN_CERTIFICATE} entries, each starting at the 8-byte aligned end of the previous one
 * @param uncovered the parts of the table (within the file) that no entry accounts for: bytes after the last entry
 *     that could be read, and alignment padding that is not all zero. Zero padding up to the next 8-byte boundary is
 *     alignment, not uncovered.
 */
public record CertificateTable(
        long offset, long declaredSize, List<CertificateEntry> entries, List<ByteRange> uncovered) {

    public CertificateTable {
        entries = List.copyOf(entries);
        uncovered = List.copyOf(uncovered);
        if (offset < 0 || declaredSize < 0) {
            throw new IllegalArgumentException(
                    "invalid certificate table: offset " + offset + ", size " + declaredSize);
        }
    }

    /** The table's extent as declared: {@code [offset, offset + declaredSize)}. */
    public ByteRange range() {
        return new ByteRange(offset, declaredSize);
    }
}
