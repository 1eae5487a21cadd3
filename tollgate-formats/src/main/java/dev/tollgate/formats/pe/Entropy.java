package dev.tollgate.formats.pe;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Shannon entropy of bytes, in bits per byte: 0 for constant data, 8 for uniformly random data. */
final class Entropy {

    private static final int CHUNK = 64 * 1024;

    private Entropy() {}

    static double of(MemorySegment bytes) {
        long total = bytes.byteSize();
        if (total == 0) {
            return 0;
        }
        long[] counts = new long[256];
        byte[] buffer = new byte[(int) Math.min(CHUNK, total)];
        for (long at = 0; at < total; at += buffer.length) {
            int n = (int) Math.min(buffer.length, total - at);
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, buffer, 0, n);
            for (int i = 0; i < n; i++) {
                counts[buffer[i] & 0xff]++;
            }
        }
        double entropy = 0;
        for (long c : counts) {
            if (c != 0) {
                double p = (double) c / total;
                entropy -= p * (Math.log(p) / Math.log(2));
            }
        }
        // Rounding can leave a hair outside [0, 8].
        return Math.min(8, Math.max(0, entropy));
    }
}
