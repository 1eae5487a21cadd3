package dev.tollgate.formats.nsis;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.TruncatedException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.tukaani.xz.LZMAInputStream;

/**
 * The three compressors of an NSIS installer ({@code SetCompressor zlib|bzip2|lzma}). The installer does not say
 * which one it used: the stub has exactly one decoder built in. The method is recognised by the stream's first bytes
 * ({@link #candidates}) and confirmed by decoding the header with it.
 *
 * <ul>
 *   <li>{@link #ZLIB}: raw deflate (RFC 1951) without the zlib header: makensis calls {@code deflateInit2} with
 *       {@code -MAX_WBITS}, and the stub's inflate reads standard deflate.
 *   <li>{@link #BZIP2}: NSIS's own bzip2 framing, see {@link NsisBzip2InputStream}.
 *   <li>{@link #LZMA}: 5 bytes of properties (the lc/lp/pb byte, 0x5D for every makensis build, then the dictionary
 *       size, little-endian), then LZMA data ending with an end marker.
 * </ul>
 */
public enum NsisCompression {
    ZLIB("zlib"),
    BZIP2("bzip2"),
    LZMA("lzma");

    /**
     * The largest LZMA dictionary accepted: the decoder allocates it whole. makensis takes
     * {@code SetCompressorDictSize} in MiB and its documentation stops at 128.
     */
    public static final int MAX_LZMA_DICTIONARY = 128 << 20;

    /** The properties byte makensis writes: lc 3, lp 0, pb 2 (it never sets them). */
    static final int LZMA_PROPERTIES = 0x5D;

    static final int LZMA_HEADER = 5;

    private static final int BZIP2_BLOCK_MARK = 0x31;
    private static final int INFLATE_BUFFER = 64 * 1024;

    private final String label;

    NsisCompression(String label) {
        this.label = label;
    }

    /** The name makensis gives it ({@code zlib}, {@code bzip2}, {@code lzma}). */
    public String label() {
        return label;
    }

    /**
     * The methods whose streams can start with the bytes at {@code at}, the likeliest first: LZMA when they are
     * makensis's LZMA properties, bzip2 when the first byte is NSIS's block mark, and always zlib (deflate has no
     * signature).
     */
    static List<NsisCompression> candidates(ByteView v, long at) {
        List<NsisCompression> out = new ArrayList<>(3);
        if (looksLikeLzma(v, at)) {
            out.add(LZMA);
        }
        if (v.has(at, 1) && firstByte(v, at) == BZIP2_BLOCK_MARK) {
            out.add(BZIP2);
        }
        out.add(ZLIB);
        return out;
    }

    static boolean looksLikeLzma(ByteView v, long at) {
        if (!v.has(at, LZMA_HEADER)) {
            return false;
        }
        try {
            long dictionary = v.u32(at + 1, "LZMA dictionary size");
            return v.u8(at, "LZMA properties") == LZMA_PROPERTIES && dictionary >= 4096;
        } catch (TruncatedException e) {
            return false;
        }
    }

    private static int firstByte(ByteView v, long at) {
        try {
            return v.u8(at, "first compressed byte");
        } catch (TruncatedException e) {
            return -1;
        }
    }

    /**
     * A decoder of the stream {@code compressed}, which starts at file offset {@code at} (for messages). The decoded
     * stream ends where the compressed stream says it ends; input that ends first is an {@link IOException}.
     *
     * @param maxOutput a bound on the bytes the caller will read, or -1: the LZMA dictionary need not be larger
     * @throws UnsupportedNsisException for LZMA properties or a dictionary this reader refuses
     */
    InputStream open(InputStream compressed, long at, long maxOutput) throws IOException, UnsupportedNsisException {
        return switch (this) {
            case ZLIB -> new RawInflaterStream(compressed);
            case BZIP2 -> new NsisBzip2InputStream(compressed, at);
            case LZMA -> lzma(compressed, at, maxOutput);
        };
    }

    private static InputStream lzma(InputStream compressed, long at, long maxOutput)
            throws IOException, UnsupportedNsisException {
        byte[] header = compressed.readNBytes(LZMA_HEADER);
        if (header.length < LZMA_HEADER) {
            throw new java.io.EOFException(
                    "LZMA stream at 0x" + Long.toHexString(at) + " ends inside its 5 bytes of properties");
        }
        int properties = Byte.toUnsignedInt(header[0]);
        long dictionary = Integer.toUnsignedLong(
                (header[1] & 0xFF) | (header[2] & 0xFF) << 8 | (header[3] & 0xFF) << 16 | (header[4] & 0xFF) << 24);
        if (properties != LZMA_PROPERTIES) {
            throw new UnsupportedNsisException(
                    at, "LZMA properties byte is 0x" + Integer.toHexString(properties) + "; makensis writes 0x5d");
        }
        if (dictionary > MAX_LZMA_DICTIONARY) {
            throw new UnsupportedNsisException(
                    at + 1,
                    "LZMA dictionary of " + dictionary + " bytes is larger than the limit of " + MAX_LZMA_DICTIONARY);
        }
        // A match never reaches further back than the bytes already decoded, so a dictionary larger than the output
        // the caller will read is never used.
        long needed = maxOutput < 0 ? dictionary : Math.min(dictionary, Math.max(4096, maxOutput));
        return new LZMAInputStream(compressed, -1, (byte) properties, (int) needed);
    }

    /** Raw deflate that frees its native inflater when closed. */
    private static final class RawInflaterStream extends InflaterInputStream {
        private boolean closed;

        RawInflaterStream(InputStream in) {
            super(in, new Inflater(true), INFLATE_BUFFER);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                try {
                    super.close();
                } finally {
                    inf.end();
                }
            }
        }
    }
}
