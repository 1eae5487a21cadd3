package dev.tollgate.engine;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Finds printable strings in a byte stream fed in chunks, as {@code strings(1)} does: runs of printable ASCII, and runs
 * of UTF-16LE code units in the ASCII range (each printable byte followed by a zero byte), at either byte alignment.
 * State carries across chunk boundaries, so a string split between two chunks is found whole.
 *
 * <p>Only runs with an indicator shape are delivered ({@link #indicatorShape}: {@code a.b}, {@code :/}, {@code ::},
 * {@code f:0}): every network indicator has one, and building a {@code String} for each of the millions of other runs
 * in a large binary was the largest cost of profiling. A run
 * longer than {@link #MAX_LENGTH} is cut into pieces of that length (each piece judged on its own), so memory stays
 * bounded however hostile the input. Not thread-safe: one scanner per file.
 */
final class StringScanner {

    /** Shorter runs are mostly noise in binaries. */
    static final int MIN_LENGTH = 5;

    /** Longest string handed on; a longer run is delivered in pieces. */
    static final int MAX_LENGTH = 4096;

    private final Consumer<String> sink;
    private final byte[] ascii = new byte[MAX_LENGTH];
    private int asciiLength;
    private boolean asciiMarked;
    // The two bytes before the current one in the open run (0 at a run's start), for the indicator test.
    private int asciiP1;
    private int asciiP2;
    private final int[] wideP1 = new int[2];
    private final int[] wideP2 = new int[2];
    private final boolean[] wideMarked = new boolean[2];
    // One UTF-16LE run per alignment: pairs starting at even offsets and at odd offsets.
    private final byte[][] wide = {new byte[MAX_LENGTH], new byte[MAX_LENGTH]};
    private final int[] wideLength = new int[2];
    private long position;
    private int previous = -1;

    StringScanner(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Scans {@code length} bytes of {@code chunk} from {@code offset}, continuing the stream fed so far. */
    void feed(byte[] chunk, int offset, int length) {
        if (length <= 0) {
            return;
        }
        scanAscii(chunk, offset, offset + length);
        scanWide(chunk, offset, offset + length);
        position += length;
        previous = chunk[offset + length - 1] & 0xff;
    }

    private void scanAscii(byte[] chunk, int from, int end) {
        int length = asciiLength;
        boolean marked = asciiMarked;
        int p1 = asciiP1;
        int p2 = asciiP2;
        for (int i = from; i < end; i++) {
            int b = chunk[i] & 0xff;
            if (PRINTABLE[b]) {
                if (length == MAX_LENGTH) {
                    asciiLength = length;
                    asciiMarked = marked;
                    flushAscii();
                    length = 0;
                    marked = false;
                    p1 = 0;
                    p2 = 0;
                }
                ascii[length++] = (byte) b;
                marked |= indicatorShape(p2, p1, b);
                p2 = p1;
                p1 = b;
            } else if (length > 0) {
                asciiLength = length;
                asciiMarked = marked;
                flushAscii();
                length = 0;
                marked = false;
                p1 = 0;
                p2 = 0;
            }
        }
        asciiLength = length;
        asciiMarked = marked;
        asciiP1 = p1;
        asciiP2 = p2;
    }

    /**
     * True when the bytes {@code p2 p1 c} can only be part of an indicator-shaped string: a dotted name or address
     * ({@code a.b}), a URL scheme ({@code :/}) or an IPv6 address ({@code ::}, {@code f:0}). Most printable runs in
     * code and data tables have dots or colons but none of these shapes, and building a String for each of them was
     * the scan's largest cost.
     */
    private static boolean indicatorShape(int p2, int p1, int c) {
        if (p1 == '.') {
            return ALNUM[c] && ALNUM[p2];
        }
        if (p1 == ':') {
            return c == '/' || c == ':' || (HEX[c] && HEX[p2]);
        }
        return false;
    }

    /**
     * Each alignment's pairs are visited in turn: the pair (chunk[i-1], chunk[i]) starts at stream offset
     * {@code position + i - 1 - from}; the first pair of a chunk borrows the last byte of the previous chunk.
     */
    private void scanWide(byte[] chunk, int from, int end) {
        for (int first = from; first < from + 2 && first < end; first++) {
            // 'first' is the index of the first byte of the chunk that ends a pair of this alignment
            int alignment = (int) ((position + (first - from) - 1) & 1);
            // The stream's first byte ends no pair.
            int start = first == from && previous < 0 ? first + 2 : first;
            byte[] run = wide[alignment];
            int length = wideLength[alignment];
            boolean marked = wideMarked[alignment];
            int p1 = wideP1[alignment];
            int p2 = wideP2[alignment];
            for (int i = start; i < end; i += 2) {
                int low = i == from ? previous : chunk[i - 1] & 0xff;
                if (chunk[i] == 0 && PRINTABLE[low]) {
                    if (length == MAX_LENGTH) {
                        wideLength[alignment] = length;
                        wideMarked[alignment] = marked;
                        flushWide(alignment);
                        length = 0;
                        marked = false;
                        p1 = 0;
                        p2 = 0;
                    }
                    run[length++] = (byte) low;
                    marked |= indicatorShape(p2, p1, low);
                    p2 = p1;
                    p1 = low;
                } else if (length > 0) {
                    wideLength[alignment] = length;
                    wideMarked[alignment] = marked;
                    flushWide(alignment);
                    length = 0;
                    marked = false;
                    p1 = 0;
                    p2 = 0;
                }
            }
            wideLength[alignment] = length;
            wideMarked[alignment] = marked;
            wideP1[alignment] = p1;
            wideP2[alignment] = p2;
        }
    }

    /** Delivers the runs still open at the end of the stream. */
    void finish() {
        flushAscii();
        flushWide(0);
        flushWide(1);
    }

    private void flushAscii() {
        if (asciiLength >= MIN_LENGTH && asciiMarked) {
            sink.accept(new String(ascii, 0, asciiLength, StandardCharsets.ISO_8859_1));
        }
        asciiLength = 0;
        asciiMarked = false;
        asciiP1 = 0;
        asciiP2 = 0;
    }

    private void flushWide(int alignment) {
        int length = wideLength[alignment];
        if (length >= MIN_LENGTH && wideMarked[alignment]) {
            sink.accept(new String(wide[alignment], 0, length, StandardCharsets.ISO_8859_1));
        }
        wideLength[alignment] = 0;
        wideMarked[alignment] = false;
        wideP1[alignment] = 0;
        wideP2[alignment] = 0;
    }

    private static final boolean[] PRINTABLE = new boolean[256];
    private static final boolean[] ALNUM = new boolean[256];
    private static final boolean[] HEX = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            ALNUM[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            HEX[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }
    }

    static {
        for (int b = 0x20; b < 0x7f; b++) {
            PRINTABLE[b] = true;
        }
        PRINTABLE['\t'] = true;
    }
}
