package dev.tollgate.formats.cab;

import dev.tollgate.formats.TruncatedException;

/**
 * The LZX bit stream over one CFDATA block ([MS-PATCH] 2.2.1): 16-bit little-endian words, each read from its most
 * significant bit. Peeking past the end sees zero bits, so that the last code of a block can be looked up; consuming
 * them is a {@link TruncatedException}. Uncompressed blocks switch to byte reads after {@link #alignToBytes()}.
 */
final class LzxBitReader {

    private byte[] data = new byte[0];
    private long base;
    private int pos;
    private long buffer;
    private int bits;
    /** Zero bits at the low end of the buffer that were not in the input. */
    private int phantom;

    /** Starts reading {@code block}, whose first byte is at file offset {@code base}. */
    void reset(byte[] block, long blockOffset) {
        this.data = block;
        this.base = blockOffset;
        this.pos = 0;
        this.buffer = 0;
        this.bits = 0;
        this.phantom = 0;
    }

    private void ensure(int n) {
        while (bits < n) {
            int word;
            if (pos + 1 < data.length) {
                word = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8;
            } else {
                word = 0;
                phantom += 16;
            }
            pos += 2;
            buffer = buffer << 16 | word;
            bits += 16;
        }
    }

    /** The next 16 bits, without consuming them. */
    int peek16() {
        ensure(16);
        return (int) (buffer >>> (bits - 16)) & 0xFFFF;
    }

    /** Consumes {@code n} bits that a {@link #peek16()} already loaded. */
    void skip(int n) throws TruncatedException {
        bits -= n;
        if (bits < phantom) {
            throw truncated();
        }
    }

    /** Reads {@code n} bits (0 to 24) as an unsigned number. */
    int read(int n) throws TruncatedException {
        if (n == 0) {
            return 0;
        }
        ensure(n);
        int value = (int) (buffer >>> (bits - n)) & ((1 << n) - 1);
        skip(n);
        return value;
    }

    /**
     * Skips to the next 16-bit boundary, a whole word if already on one (the 1 to 16 padding bits before an
     * uncompressed block's header), and switches to byte reads.
     */
    void alignToBytes() throws TruncatedException {
        long at = (long) pos * 8 - bits;
        at = (at & 15) == 0 ? at + 16 : (at + 15) & ~15L;
        if (at / 8 > data.length) {
            throw truncated();
        }
        pos = (int) (at / 8);
        buffer = 0;
        bits = 0;
        phantom = 0;
    }

    /** Copies {@code n} bytes; only after {@link #alignToBytes()}, while no bits are buffered. */
    void readBytes(byte[] to, int offset, int n) throws TruncatedException {
        if (n > data.length - pos) {
            throw new TruncatedException(base + pos, n, data.length - pos, "LZX uncompressed block data");
        }
        System.arraycopy(data, pos, to, offset, n);
        pos += n;
    }

    /** A little-endian 32-bit value read as bytes; only in byte mode. */
    int readInt32() throws TruncatedException {
        byte[] four = new byte[4];
        readBytes(four, 0, 4);
        return (four[0] & 0xFF) | (four[1] & 0xFF) << 8 | (four[2] & 0xFF) << 16 | (four[3] & 0xFF) << 24;
    }

    /** Skips the byte that pads an odd-sized uncompressed block to a 16-bit boundary; only in byte mode. */
    void skipPadByte() throws TruncatedException {
        if (pos >= data.length) {
            throw new TruncatedException(base + pos, 1, 0, "LZX pad byte after an odd-sized uncompressed block");
        }
        pos++;
    }

    /** The file offset of the next unread byte, for messages. */
    long offset() {
        return base + Math.min(pos - bits / 8, data.length);
    }

    private TruncatedException truncated() {
        return new TruncatedException(base + data.length, 2, 0, "LZX bit stream of this CFDATA block");
    }
}
