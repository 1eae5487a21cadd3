package dev.tollgate.formats.pe;

import java.util.Arrays;
import java.util.List;

/**
 * Maps RVAs to file offsets through the section table, as the loader lays the image out: the headers at RVA 0, each
 * section's raw data at its virtual address. Bytes that exist only in memory (past a section's raw data) have no file
 * offset. When sections overlap, the first in table order that holds an RVA maps it.
 *
 * <p>Remembers the section of the last hit, as a directory's entries and names mostly lie in one section; it is
 * therefore for one thread, as each parse's is.
 */
final class AddressMap {

    static final long UNMAPPED = -1;

    private final long[] virtualAddress;
    /** How far each section reaches in memory: max(VirtualSize, SizeOfRawData). */
    private final long[] span;

    private final long[] sizeOfRawData;
    private final long[] pointerToRawData;
    private final long sizeOfHeaders;
    private final long fileSize;
    /** True when no two sections' spans overlap, so the section that holds an RVA is the only one that does. */
    private final boolean disjoint;
    /** The section of the last hit, tried first when {@link #disjoint}; -1 before the first. */
    private int last = -1;

    AddressMap(List<PeSection> sections, long sizeOfHeaders, long fileSize) {
        int n = sections.size();
        this.virtualAddress = new long[n];
        this.span = new long[n];
        this.sizeOfRawData = new long[n];
        this.pointerToRawData = new long[n];
        for (int i = 0; i < n; i++) {
            PeSection s = sections.get(i);
            virtualAddress[i] = s.virtualAddress();
            // Lenient on purpose: some linkers leave VirtualSize 0 or smaller than the raw data.
            span[i] = Math.max(s.virtualSize(), s.sizeOfRawData());
            sizeOfRawData[i] = s.sizeOfRawData();
            pointerToRawData[i] = s.pointerToRawData();
        }
        this.sizeOfHeaders = sizeOfHeaders;
        this.fileSize = fileSize;
        this.disjoint = disjoint(virtualAddress, span);
    }

    /** The file offset of {@code rva}, or {@link #UNMAPPED}. */
    long toOffset(long rva) {
        if (rva < 0) {
            return UNMAPPED;
        }
        int hit = last >= 0 && holds(last, rva) ? last : find(rva);
        if (hit >= 0) {
            if (disjoint) {
                last = hit;
            }
            long delta = rva - virtualAddress[hit];
            if (delta >= sizeOfRawData[hit]) {
                return UNMAPPED;
            }
            long offset = pointerToRawData[hit] + delta;
            return offset < fileSize ? offset : UNMAPPED;
        }
        if (rva < sizeOfHeaders && rva < fileSize) {
            return rva;
        }
        return UNMAPPED;
    }

    /** The first section in table order that holds {@code rva}, or -1. */
    private int find(long rva) {
        for (int i = 0; i < virtualAddress.length; i++) {
            if (holds(i, rva)) {
                return i;
            }
        }
        return -1;
    }

    private boolean holds(int section, long rva) {
        return rva >= virtualAddress[section] && rva - virtualAddress[section] < span[section];
    }

    /** True when no two of the ranges {@code [start, start + length)} that are not empty overlap. */
    static boolean disjoint(long[] start, long[] length) {
        // Section fields are 32-bit and there are at most MAX_SECTIONS (1024) of them, so a start and its index
        // pack into one sortable long; more ranges than 11 bits can index are simply not trusted to be disjoint.
        if (start.length > 0x800) {
            return false;
        }
        long[] byStart = new long[start.length];
        int n = 0;
        for (int i = 0; i < start.length; i++) {
            if (length[i] > 0) {
                byStart[n++] = start[i] << 11 | i;
            }
        }
        Arrays.sort(byStart, 0, n);
        long end = Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
            int i = (int) (byStart[k] & 0x7ff);
            if (start[i] < end) {
                return false;
            }
            end = Math.max(end, start[i] + length[i]);
        }
        return true;
    }
}
