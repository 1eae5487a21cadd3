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
        int end = offset + length;
        long pos = position;
        int prev = previous;
        for (int i = offset; i < end; i++, pos++) {
            int b = chunk[i] & 0xff;
            boolean printable = isPrintable(b);
            if (printable) {
                if (asciiLength == MAX_LENGTH) {
                    flushAscii();
                }
                ascii[asciiLength++] = (byte) b;
            } else {
                flushAscii();
            }
            if (prev >= 0) {
                // The pair (prev, b) starts at pos - 1: it continues or ends the run of that alignment.
                int alignment = (int) ((pos - 1) & 1);
                if (b == 0 && isPrintable(prev)) {
                    if (wideLength[alignment] == MAX_LENGTH) {
                        flushWide(alignment);
                    }
                    wide[alignment][wideLength[alignment]++] = (byte) prev;
                } else {
                    flushWide(alignment);
                }
            }
            prev = b;
        }
        position = pos;
        previous = prev;
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

    private static boolean isPrintable(int b) {
        return (b >= 0x20 && b < 0x7f) || b == '\t';
    }
}
