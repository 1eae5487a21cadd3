package dev.tollgate.formats.pe;

import java.util.List;

/**
 * Maps RVAs to file offsets through the section table, as the loader lays the image out: the headers at RVA 0, each
 * section's raw data at its virtual address. Bytes that exist only in memory (past a section's raw data) have no file
 * offset.
 */
final class AddressMap {

    static final long UNMAPPED = -1;

    private final List<PeSection> sections;
    private final long sizeOfHeaders;
    private final long fileSize;

    AddressMap(List<PeSection> sections, long sizeOfHeaders, long fileSize) {
        this.sections = sections;
        this.sizeOfHeaders = sizeOfHeaders;
        this.fileSize = fileSize;
    }

    /** The file offset of {@code rva}, or {@link #UNMAPPED}. */
    long toOffset(long rva) {
        if (rva < 0) {
            return UNMAPPED;
        }
        for (PeSection s : sections) {
            // Lenient on purpose: some linkers leave VirtualSize 0 or smaller than the raw data.
            long span = Math.max(s.virtualSize(), s.sizeOfRawData());
            if (rva >= s.virtualAddress() && rva - s.virtualAddress() < span) {
                long delta = rva - s.virtualAddress();
                if (delta >= s.sizeOfRawData()) {
                    return UNMAPPED;
                }
                long offset = s.pointerToRawData() + delta;
                return offset < fileSize ? offset : UNMAPPED;
            }
        }
        if (rva < sizeOfHeaders && rva < fileSize) {
            return rva;
        }
        return UNMAPPED;
    }
}
