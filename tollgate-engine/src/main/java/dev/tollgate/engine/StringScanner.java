package dev.tollgate.engine;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Finds printable strings in a byte stream fed in chunks, as {@code strings(1)} does: runs of printable ASCII, and runs
 * of UTF-16LE code units in the ASCII range (each printable byte followed by a zero byte), at either byte alignment.
 * State carries across chunk boundaries, so a string split between two chunks is found whole.
 *
 * <p>A run longer than {@link #MAX_LENGTH} is cut into pieces of that length, so memory stays bounded however hostile
 * the input. Not thread-safe: one scanner per file.
 */
final class StringScanner {

    /** Shorter runs are mostly noise in binaries. */
    static final int MIN_LENGTH = 5;

    /** Longest string handed on; a longer run is delivered in pieces. */
    static final int MAX_LENGTH = 4096;

    private final Consumer<String> sink;
    private final byte[] ascii = new byte[MAX_LENGTH];
    private int asciiLength;
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
        for (int i = from; i < end; i++) {
            byte b = chunk[i];
            if (PRINTABLE[b & 0xff]) {
                if (length == MAX_LENGTH) {
                    asciiLength = length;
                    flushAscii();
                    length = 0;
                }
                ascii[length++] = b;
            } else if (length > 0) {
                asciiLength = length;
                flushAscii();
                length = 0;
            }
        }
        asciiLength = length;
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
            for (int i = start; i < end; i += 2) {
                int low = i == from ? previous : chunk[i - 1] & 0xff;
                if (chunk[i] == 0 && PRINTABLE[low]) {
                    if (length == MAX_LENGTH) {
                        wideLength[alignment] = length;
                        flushWide(alignment);
                        length = 0;
                    }
                    run[length++] = (byte) low;
                } else if (length > 0) {
                    wideLength[alignment] = length;
                    flushWide(alignment);
                    length = 0;
                }
            }
            wideLength[alignment] = length;
        }
    }

    /** Delivers the runs still open at the end of the stream. */
    void finish() {
        flushAscii();
        flushWide(0);
        flushWide(1);
    }

    private void flushAscii() {
        if (asciiLength >= MIN_LENGTH) {
            sink.accept(new String(ascii, 0, asciiLength, StandardCharsets.ISO_8859_1));
        }
        asciiLength = 0;
    }

    private void flushWide(int alignment) {
        int length = wideLength[alignment];
        if (length >= MIN_LENGTH) {
            sink.accept(new String(wide[alignment], 0, length, StandardCharsets.ISO_8859_1));
        }
        wideLength[alignment] = 0;
    }

    private static final boolean[] PRINTABLE = new boolean[256];

    static {
        for (int b = 0x20; b < 0x7f; b++) {
            PRINTABLE[b] = true;
        }
        PRINTABLE['\t'] = true;
    }
}
