package dev.tollgate.formats.nsis;

import dev.tollgate.formats.FormatException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * NSIS's own bzip2 variant ({@code Source/bzip2} in NSIS, a modified bzip2 1.0): the block coding of standard bzip2
 * (Huffman-coded MTF/RLE2 symbols, Burrows-Wheeler transform, RLE1 runs) with a different framing. Standard bzip2
 * decoders cannot read it, hence this decoder.
 *
 * <pre>
 * stream  = block* end                  no "BZh" stream header, no stream CRC
 * block   = 0x31 (8 bits), origPtr (24 bits), the standard block body from the symbol map on
 *           (no 48-bit block magic, no block CRC, no "randomised" bit)
 * end     = 0x17 (8 bits)
 * </pre>
 *
 * Blocks hold at most {@link #MAX_BLOCK} bytes (makensis compresses at level 9). The fields are not byte-aligned.
 * Every count and code is checked before use; a bad one is an {@link IOException} whose cause is a
 * {@link FormatException} naming the compressed byte where it was read.
 */
final class NsisBzip2InputStream extends InputStream {

    /** Bytes of one block before RLE1 decoding: 9 x 100,000 (NSIS_COMPRESS_BZIP2_LEVEL 9). */
    static final int MAX_BLOCK = 900_000;

    private static final int INITIAL_BLOCK = 64 * 1024;
    private static final int BLOCK_MARK = 0x31;
    private static final int END_MARK = 0x17;
    private static final int MAX_GROUPS = 6;
    private static final int MIN_GROUPS = 2;
    private static final int GROUP_SIZE = 50;
    private static final int MAX_SELECTORS = 18_002;
    private static final int MAX_CODE_LENGTH = 20;
    private static final int MAX_ALPHABET = 258;
    private static final int RUN_A = 0;
    private static final int RUN_B = 1;

    private final InputStream in;
    private final long base;
    private long consumed;
    private int bitBuffer;
    private int bitCount;

    private int[] tt;
    private int blockLength;
    private int blockUsed;
    private int tPos;
    private boolean ended;

    // RLE1 state: four equal bytes are followed by a count of further copies.
    private int lastByte = -1;
    private int sameCount;
    private int repeat;
    private int runByte;

    /**
     * @param in the compressed bytes
     * @param base the file offset of the first compressed byte, for messages
     */
    NsisBzip2InputStream(InputStream in, long base) {
        this.in = in;
        this.base = base;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (repeat > 0) {
                int copies = Math.min(repeat, len - n);
                java.util.Arrays.fill(b, off + n, off + n + copies, (byte) runByte);
                repeat -= copies;
                n += copies;
                continue;
            }
            if (blockUsed == blockLength) {
                if (n > 0 || !nextBlock()) {
                    break;
                }
                continue;
            }
            int position = tt[tPos];
            int c = position & 0xFF;
            tPos = position >>> 8;
            blockUsed++;
            if (sameCount == 4) {
                // The fifth byte of a run is a count of further copies; the byte after it starts a new run.
                repeat = c;
                runByte = lastByte;
                lastByte = -1;
                sameCount = 0;
                continue;
            }
            if (c == lastByte) {
                sameCount++;
            } else {
                lastByte = c;
                sameCount = 1;
            }
            b[off + n++] = (byte) c;
        }
        return n == 0 && ended ? -1 : n;
    }

    /** Reads and inverts the next block; false at the end mark. */
    private boolean nextBlock() throws IOException {
        if (ended) {
            return false;
        }
        long blockAt = consumed;
        int mark = bits(8);
        if (mark == END_MARK) {
            ended = true;
            return false;
        }
        if (mark != BLOCK_MARK) {
            throw corrupt(blockAt, "block mark is 0x" + Integer.toHexString(mark) + "; expected 0x31 or 0x17");
        }
        int origPtr = bits(24);
        if (origPtr > MAX_BLOCK) {
            throw corrupt(blockAt, "origPtr " + origPtr + " is beyond the largest block of " + MAX_BLOCK);
        }

        boolean[] used16 = new boolean[16];
        for (int i = 0; i < 16; i++) {
            used16[i] = bits(1) == 1;
        }
        int[] seqToUnseq = new int[256];
        int inUse = 0;
        for (int i = 0; i < 16; i++) {
            if (used16[i]) {
                for (int j = 0; j < 16; j++) {
                    if (bits(1) == 1) {
                        seqToUnseq[inUse++] = i * 16 + j;
                    }
                }
            }
        }
        if (inUse == 0) {
            throw corrupt(consumed, "block uses no byte values");
        }
        int alphabet = inUse + 2;

        int groups = bits(3);
        if (groups < MIN_GROUPS || groups > MAX_GROUPS) {
            throw corrupt(consumed, "block has " + groups + " Huffman tables; expected 2 to 6");
        }
        int selectors = bits(15);
        if (selectors < 1 || selectors > MAX_SELECTORS) {
            throw corrupt(consumed, "block has " + selectors + " selectors; expected 1 to " + MAX_SELECTORS);
        }
        int[] order = new int[groups];
        for (int i = 0; i < groups; i++) {
            order[i] = i;
        }
        byte[] selector = new byte[selectors];
        for (int i = 0; i < selectors; i++) {
            int j = 0;
            while (bits(1) == 1) {
                if (++j >= groups) {
                    throw corrupt(consumed, "selector " + i + " names table " + j + " of " + groups);
                }
            }
            int chosen = order[j];
            System.arraycopy(order, 0, order, 1, j);
            order[0] = chosen;
            selector[i] = (byte) chosen;
        }

        HuffmanTable[] tables = new HuffmanTable[groups];
        for (int t = 0; t < groups; t++) {
            int[] lengths = new int[alphabet];
            int current = bits(5);
            for (int i = 0; i < alphabet; i++) {
                while (true) {
                    if (current < 1 || current > MAX_CODE_LENGTH) {
                        throw corrupt(consumed, "Huffman code length " + current + " is outside 1 to 20");
                    }
                    if (bits(1) == 0) {
                        break;
                    }
                    current += bits(1) == 0 ? 1 : -1;
                }
                lengths[i] = current;
            }
            tables[t] = new HuffmanTable(lengths);
        }

        if (tt == null) {
            // Grown on demand: most NSIS files are far smaller than a block, and non-solid installers decode each
            // file with a decoder of its own.
            tt = new int[INITIAL_BLOCK];
        }
        int[] counts = new int[256];
        byte[] mtf = new byte[256];
        for (int i = 0; i < 256; i++) {
            mtf[i] = (byte) i;
        }
        int endOfBlock = inUse + 1;
        int length = 0;
        int group = -1;
        int left = 0;
        HuffmanTable table = null;
        int symbol;
        while (true) {
            if (left == 0) {
                if (++group >= selectors) {
                    throw corrupt(consumed, "block runs past its " + selectors + " selectors");
                }
                left = GROUP_SIZE;
                table = tables[selector[group]];
            }
            left--;
            symbol = table.decode();
            if (symbol == RUN_A || symbol == RUN_B) {
                long run = 0;
                long weight = 1;
                do {
                    run += symbol == RUN_A ? weight : 2 * weight;
                    weight <<= 1;
                    if (run > MAX_BLOCK) {
                        throw corrupt(consumed, "a run of " + run + " bytes is longer than a block");
                    }
                    if (left == 0) {
                        if (++group >= selectors) {
                            throw corrupt(consumed, "block runs past its " + selectors + " selectors");
                        }
                        left = GROUP_SIZE;
                        table = tables[selector[group]];
                    }
                    left--;
                    symbol = table.decode();
                } while (symbol == RUN_A || symbol == RUN_B);
                int value = seqToUnseq[Byte.toUnsignedInt(mtf[0])];
                if (length + run > MAX_BLOCK) {
                    throw corrupt(consumed, "block holds more than " + MAX_BLOCK + " bytes");
                }
                counts[value] += (int) run;
                ensureCapacity(length + (int) run);
                for (int i = 0; i < run; i++) {
                    tt[length++] = value;
                }
            }
            if (symbol == endOfBlock) {
                break;
            }
            if (symbol > endOfBlock) {
                throw corrupt(consumed, "symbol " + symbol + " is beyond the block's alphabet of " + alphabet);
            }
            if (length >= MAX_BLOCK) {
                throw corrupt(consumed, "block holds more than " + MAX_BLOCK + " bytes");
            }
            ensureCapacity(length + 1);
            int index = symbol - 1;
            byte moved = mtf[index];
            System.arraycopy(mtf, 0, mtf, 1, index);
            mtf[0] = moved;
            int value = seqToUnseq[Byte.toUnsignedInt(moved)];
            counts[value]++;
            tt[length++] = value;
        }
        if (origPtr >= length) {
            throw corrupt(blockAt, "origPtr " + origPtr + " is outside the block of " + length + " bytes");
        }
        // Inverse Burrows-Wheeler transform: link each position to the next, in the upper 24 bits.
        int[] start = new int[256];
        for (int i = 1; i < 256; i++) {
            start[i] = start[i - 1] + counts[i - 1];
        }
        for (int i = 0; i < length; i++) {
            int value = tt[i] & 0xFF;
            tt[start[value]++] |= i << 8;
        }
        tPos = tt[origPtr] >>> 8;
        blockLength = length;
        blockUsed = 0;
        lastByte = -1;
        sameCount = 0;
        return true;
    }

    private void ensureCapacity(int needed) {
        if (needed > tt.length) {
            tt = java.util.Arrays.copyOf(tt, Math.min(MAX_BLOCK, Math.max(needed, 2 * tt.length)));
        }
    }

    /** One canonical Huffman code of a block, decoded bit by bit as bzip2 does. */
    private final class HuffmanTable {
        private final int[] limit = new int[MAX_CODE_LENGTH + 2];
        private final int[] offset = new int[MAX_CODE_LENGTH + 2];
        private final int[] symbols;
        private final int minLength;

        HuffmanTable(int[] lengths) {
            int min = MAX_CODE_LENGTH;
            int max = 0;
            for (int l : lengths) {
                min = Math.min(min, l);
                max = Math.max(max, l);
            }
            minLength = min;
            symbols = new int[lengths.length];
            int p = 0;
            for (int l = min; l <= max; l++) {
                for (int s = 0; s < lengths.length; s++) {
                    if (lengths[s] == l) {
                        symbols[p++] = s;
                    }
                }
            }
            int[] count = new int[MAX_CODE_LENGTH + 2];
            for (int l : lengths) {
                count[l]++;
            }
            int code = 0;
            int index = 0;
            for (int l = 1; l <= MAX_CODE_LENGTH; l++) {
                // Codes of length l are code .. code + count[l] - 1; symbols[index ..] in the same order.
                offset[l] = index - code;
                code += count[l];
                index += count[l];
                limit[l] = code - 1;
                code <<= 1;
            }
        }

        int decode() throws IOException {
            int length = minLength;
            int code = bits(length);
            while (code > limit[length]) {
                if (++length > MAX_CODE_LENGTH) {
                    throw corrupt(consumed, "no Huffman code matches the bits read");
                }
                code = (code << 1) | bits(1);
            }
            int index = code + offset[length];
            if (index < 0 || index >= symbols.length || index >= MAX_ALPHABET) {
                throw corrupt(consumed, "Huffman code " + code + " of length " + length + " is unused");
            }
            return symbols[index];
        }
    }

    private int bits(int n) throws IOException {
        while (bitCount < n) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("NSIS bzip2 stream at 0x" + Long.toHexString(base) + " ends after " + consumed
                        + " bytes, inside a block");
            }
            consumed++;
            bitBuffer = (bitBuffer << 8) | b;
            bitCount += 8;
        }
        bitCount -= n;
        return (bitBuffer >>> bitCount) & ((1 << n) - 1);
    }

    private IOException corrupt(long at, String message) {
        FormatException f = new FormatException(base + at, "NSIS bzip2 stream is corrupt: " + message);
        return new IOException(f.getMessage(), f);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
