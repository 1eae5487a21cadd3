package dev.tollgate.intel;

import java.util.Arrays;

/**
 * A sorted table of fixed-width digests packed into {@code long}s, each with the id of its indicator source. A million
 * SHA-256 values take 36 MB here, against well over 150 MB as strings in a hash set, and lookups are a binary search.
 * Immutable once built.
 */
final class DigestTable {

    private static final int[] NONE = new int[0];

    private final int hexDigits;
    private final int width;
    private final long[] words;
    private final int[] sources;
    private final int count;

    private DigestTable(int hexDigits, int width, long[] words, int[] sources, int count) {
        this.hexDigits = hexDigits;
        this.width = width;
        this.words = words;
        this.sources = sources;
        this.count = count;
    }

    int size() {
        return count;
    }

    /** The source ids of every entry equal to {@code hex} (any case); none when it is not a digest of this width. */
    int[] lookup(String hex) {
        if (hex.length() != hexDigits || !IndicatorValues.isHex(hex)) {
            return NONE;
        }
        long[] key = pack(hex, width);
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compareTo(words, mid, key);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                int first = mid;
                while (first > 0 && compareTo(words, first - 1, key) == 0) {
                    first--;
                }
                int last = mid;
                while (last < count - 1 && compareTo(words, last + 1, key) == 0) {
                    last++;
                }
                return Arrays.copyOfRange(sources, first, last + 1);
            }
        }
        return NONE;
    }

    private int compareTo(long[] table, int entry, long[] key) {
        int base = entry * width;
        for (int w = 0; w < width; w++) {
            int c = Long.compareUnsigned(table[base + w], key[w]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Hex digits, 16 to a word, the last word holding what is left in its low bits. */
    static long[] pack(String hex, int width) {
        long[] out = new long[width];
        for (int w = 0; w < width; w++) {
            long value = 0;
            int end = Math.min(hex.length(), (w + 1) * 16);
            for (int i = w * 16; i < end; i++) {
                value = (value << 4) | Character.digit(hex.charAt(i), 16);
            }
            out[w] = value;
        }
        return out;
    }

    /** Collects digests, then sorts them once. Not thread-safe. */
    static final class Builder {
        private final int hexDigits;
        private final int width;
        private long[] words;
        private int[] sources;
        private int count;

        Builder(int hexDigits) {
            this.hexDigits = hexDigits;
            this.width = (hexDigits + 15) / 16;
            this.words = new long[width * 64];
            this.sources = new int[64];
        }

        void add(String hex, int source) {
            if (hex.length() != hexDigits || !IndicatorValues.isHex(hex)) {
                throw new IllegalArgumentException("expected " + hexDigits + " hex digits: " + hex);
            }
            if (count == sources.length) {
                int grown = Math.max(64, sources.length + (sources.length >> 1));
                sources = Arrays.copyOf(sources, grown);
                words = Arrays.copyOf(words, grown * width);
            }
            long[] packed = pack(hex, width);
            System.arraycopy(packed, 0, words, count * width, width);
            sources[count] = source;
            count++;
        }

        /** Sorts by digest then source (heapsort: no recursion, no worst case on hostile input) and drops duplicates. */
        DigestTable build() {
            for (int i = count / 2 - 1; i >= 0; i--) {
                siftDown(i, count);
            }
            for (int end = count - 1; end > 0; end--) {
                swap(0, end);
                siftDown(0, end);
            }
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (kept > 0 && compare(kept - 1, i) == 0) {
                    continue;
                }
                if (kept != i) {
                    System.arraycopy(words, i * width, words, kept * width, width);
                    sources[kept] = sources[i];
                }
                kept++;
            }
            return new DigestTable(
                    hexDigits, width, Arrays.copyOf(words, kept * width), Arrays.copyOf(sources, kept), kept);
        }

        private void siftDown(int root, int end) {
            int node = root;
            while (true) {
                int child = 2 * node + 1;
                if (child >= end) {
                    return;
                }
                if (child + 1 < end && compare(child + 1, child) > 0) {
                    child++;
                }
                if (compare(node, child) >= 0) {
                    return;
                }
                swap(node, child);
                node = child;
            }
        }

        private int compare(int a, int b) {
            for (int w = 0; w < width; w++) {
                int c = Long.compareUnsigned(words[a * width + w], words[b * width + w]);
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(sources[a], sources[b]);
        }

        private void swap(int a, int b) {
            for (int w = 0; w < width; w++) {
                long t = words[a * width + w];
                words[a * width + w] = words[b * width + w];
                words[b * width + w] = t;
            }
            int t = sources[a];
            sources[a] = sources[b];
            sources[b] = t;
        }
    }
}
