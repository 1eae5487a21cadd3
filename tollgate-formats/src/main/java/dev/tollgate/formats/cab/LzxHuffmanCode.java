package dev.tollgate.formats.cab;

import dev.tollgate.formats.FormatException;
import java.util.Arrays;

/**
 * A canonical Huffman code of LZX ([MS-PATCH] 2.2.1): codes are assigned in order of increasing length, and within one
 * length in symbol order, and are read most significant bit first. Codes up to {@link #FAST_BITS} bits long are
 * decoded with one table look-up; longer ones (at most 16 bits) by walking the per-length ranges. The table is rebuilt
 * in place for each block, so a decoder's memory does not grow with the input.
 */
final class LzxHuffmanCode {

    static final int MAX_BITS = 16;
    private static final int FAST_BITS = 10;
    private static final short LONG = -1;
    private static final short EMPTY = -2;

    private final String name;
    private final int symbols;
    /** For a code of at most FAST_BITS bits: symbol << 5 | length; LONG for a longer code's prefix. */
    private final short[] fast = new short[1 << FAST_BITS];

    private final int[] firstCode = new int[MAX_BITS + 2];
    private final int[] firstIndex = new int[MAX_BITS + 2];
    private final int[] count = new int[MAX_BITS + 2];
    private final int[] sorted;
    private boolean empty = true;

    LzxHuffmanCode(String name, int symbols) {
        this.name = name;
        this.symbols = symbols;
        this.sorted = new int[symbols];
    }

    /**
     * Builds the code from {@code lengths[0..symbols)} (0 means the symbol is unused).
     *
     * @param mayBeEmpty true when every length being 0 is allowed (the length tree of a block without long matches)
     * @throws FormatException when the lengths over-subscribe the code space or leave part of it unused
     */
    void build(int[] lengths, boolean mayBeEmpty, long offset) throws FormatException {
        Arrays.fill(count, 0);
        for (int s = 0; s < symbols; s++) {
            count[lengths[s]]++;
        }
        count[0] = 0;
        // Kraft: left is the number of unused codes of the current length.
        int left = 1;
        for (int len = 1; len <= MAX_BITS; len++) {
            left = (left << 1) - count[len];
            if (left < 0) {
                throw new FormatException(
                        offset, "LZX " + name + " code lengths over-subscribe the code space at " + len + " bits");
            }
        }
        int used = symbols - countZeros(lengths);
        if (used == 0) {
            if (!mayBeEmpty) {
                throw new FormatException(offset, "LZX " + name + " code has no symbols");
            }
            empty = true;
            Arrays.fill(fast, EMPTY);
            return;
        }
        if (left != 0) {
            throw new FormatException(
                    offset, "LZX " + name + " code lengths are incomplete (" + used + " symbols leave codes unused)");
        }
        empty = false;
        int code = 0;
        int index = 0;
        for (int len = 1; len <= MAX_BITS; len++) {
            firstCode[len] = code;
            firstIndex[len] = index;
            index += count[len];
            code = (code + count[len]) << 1;
        }
        int[] next = firstIndex.clone();
        for (int s = 0; s < symbols; s++) {
            int len = lengths[s];
            if (len != 0) {
                sorted[next[len]++] = s;
            }
        }
        Arrays.fill(fast, LONG);
        for (int len = 1; len <= FAST_BITS; len++) {
            for (int i = 0; i < count[len]; i++) {
                int c = firstCode[len] + i;
                int s = sorted[firstIndex[len] + i];
                int shift = FAST_BITS - len;
                int from = c << shift;
                Arrays.fill(fast, from, from + (1 << shift), (short) (s << 5 | len));
            }
        }
    }

    private int countZeros(int[] lengths) {
        int zeros = 0;
        for (int s = 0; s < symbols; s++) {
            if (lengths[s] == 0) {
                zeros++;
            }
        }
        return zeros;
    }

    /** Reads one symbol. */
    int decode(LzxBitReader in) throws FormatException {
        int peek = in.peek16();
        short entry = fast[peek >>> (MAX_BITS - FAST_BITS)];
        if (entry >= 0) {
            in.skip(entry & 0x1F);
            return entry >>> 5;
        }
        if (entry == EMPTY) {
            throw new FormatException(in.offset(), "LZX block uses its " + name + " code, which has no symbols");
        }
        for (int len = FAST_BITS + 1; len <= MAX_BITS; len++) {
            int c = peek >>> (MAX_BITS - len);
            int i = c - firstCode[len];
            if (i >= 0 && i < count[len]) {
                in.skip(len);
                return sorted[firstIndex[len] + i];
            }
        }
        // Unreachable for a complete code; kept so a broken table cannot loop or index out of bounds.
        throw new FormatException(in.offset(), "LZX " + name + " code has no symbol for bits " + peek);
    }

    boolean isEmpty() {
        return empty;
    }
}
