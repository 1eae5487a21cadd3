package dev.tollgate.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the printable strings of a file that may hold a network indicator or a file name, as {@code strings(1)} finds
 * strings: runs of printable ASCII, and runs of UTF-16LE code units in the ASCII range (each printable byte followed
 * by a zero byte), at either byte alignment.
 *
 * <p>Only runs with an indicator shape are delivered: {@code a.b}, {@code :/}, {@code ::} or {@code f:0}. Every URL,
 * domain, IP address and file name has one, and most of a binary's printable runs have none. So the scanner does not
 * follow every run byte by byte: it looks eight bytes at a time for a dot or a colon, and only where one forms such a
 * shape does it widen to the run around it and deliver that run. Each byte is widened over at most once per encoding
 * and alignment, so the work stays linear. A run is delivered to a {@link Sink} as bytes, one per character, and no
 * {@code String} is made of it.
 *
 * <p>A run is delivered whole when it is at most {@link #MAX_LENGTH} long; a longer one (only hostile or text files
 * have them) is cut where the file offset is a multiple of {@code MAX_LENGTH} bytes (for UTF-16LE, code units of
 * its alignment), each piece judged on its own. So the scanner never looks further than {@link #MARGIN} bytes from
 * the part of the file it scans, and memory stays bounded however hostile the input. Not thread-safe: one scanner
 * per file.
 */
final class StringScanner {

    /** Receives the runs that the scanner finds. */
    @FunctionalInterface
    interface Sink {
        /**
         * Takes one run: {@code text[offset, offset + length)}, one printable ASCII character (0x20-0x7e or tab) per
         * byte. The bytes (the caller's window, or a buffer the scanner reuses) are valid only during the call: copy
         * what must be kept.
         */
        void run(byte[] text, int offset, int length);
    }

    /** Shorter runs are mostly noise in binaries. */
    static final int MIN_LENGTH = 5;

    /** Longest string handed on; a longer run is delivered in pieces. */
    static final int MAX_LENGTH = 4096;

    /** How many bytes of the file {@link #scan} must see on each side of the part it scans. */
    static final int MARGIN = 2 * MAX_LENGTH + 4;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long DOTS = '.' * ONES;
    private static final long COLONS = ':' * ONES;

    private final long size;
    private final byte[] piece = new byte[MAX_LENGTH];
    // Offsets before which every ASCII run, and every UTF-16LE run of each alignment, has been dealt with.
    private long asciiDone;
    private final long[] wideDone = new long[2];
    // The window of the file being scanned: window[i] is the byte at offset windowStart + i.
    private byte[] window = new byte[0];
    private long windowStart;
    private long windowEnd;

    /** A scanner for a file of {@code size} bytes. */
    StringScanner(long size) {
        this.size = size;
    }

    /**
     * Scans the file's bytes at offsets {@code [from, to)} and delivers the runs found to {@code sink}. The parts of a
     * file are scanned in order, from its start. {@code window[0, windowLength)} holds the file's bytes from offset
     * {@code windowStart}, and must cover {@code [from - MARGIN, to + MARGIN)} as far as the file goes.
     *
     * @throws IllegalArgumentException when the window does not cover that much
     */
    void scan(byte[] window, long windowStart, int windowLength, long from, long to, Sink sink) {
        enter(window, windowStart, windowLength, from, to);
        int i = (int) (from - windowStart);
        int end = (int) (to - windowStart);
        int lastWord = end - Long.BYTES;
        while (i < end) {
            if (i <= lastWord && !hasDotOrColon((long) LONGS.get(window, i))) {
                i += Long.BYTES;
                continue;
            }
            int stop = Math.min(i + Long.BYTES, end);
            for (; i < stop; i++) {
                byte b = window[i];
                if (b == '.' || b == ':') {
                    candidate(windowStart + i, b, sink);
                }
            }
        }
    }

    /**
     * As {@link #scan(byte[], long, int, long, long, Sink)}, when the dots and colons of {@code [from, to)} are already
     * known: bit {@code k} of {@code marks} (bit {@code k % 64} of {@code marks[k / 64]}) is set when the byte at offset
     * {@code from + k} is one ({@link FileDigests#marksPunctuation}); the scanner then visits only those bytes. The
     * same runs are delivered in the same order.
     *
     * @throws IllegalArgumentException when the window does not cover that much, or a mark is not on a dot or colon
     */
    void scan(byte[] window, long windowStart, int windowLength, long from, long to, long[] marks, Sink sink) {
        enter(window, windowStart, windowLength, from, to);
        int base = (int) (from - windowStart);
        int length = (int) (to - from);
        for (int w = 0; w < marks.length && w * Long.SIZE < length; w++) {
            for (long bits = marks[w]; bits != 0; bits &= bits - 1) {
                int k = w * Long.SIZE + Long.numberOfTrailingZeros(bits);
                byte b = k < length ? window[base + k] : 0;
                if (b != '.' && b != ':') {
                    throw new IllegalArgumentException("mark " + k + " is not on a dot or colon");
                }
                candidate(windowStart + base + k, b, sink);
            }
        }
    }

    /** Checks that the window covers {@code [from, to)} with its margins, and makes it the one read. */
    private void enter(byte[] window, long windowStart, int windowLength, long from, long to) {
        long windowEnd = windowStart + windowLength;
        if (windowStart > Math.max(0, from - MARGIN) || windowEnd < Math.min(size, to + MARGIN) || windowEnd > size) {
            throw new IllegalArgumentException("the window [" + windowStart + ", " + windowEnd + ") does not cover ["
                    + from + ", " + to + ") with its margins in a file of " + size + " bytes");
        }
        this.window = window;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    /** True when one of the eight bytes of {@code word} is a dot or a colon. */
    private static boolean hasDotOrColon(long word) {
        long dots = word ^ DOTS;
        long colons = word ^ COLONS;
        return ((((dots - ONES) & ~dots) | ((colons - ONES) & ~colons)) & HIGHS) != 0;
    }

    private void candidate(long at, byte mark, Sink sink) {
        if (at >= asciiDone && indicatorShape(at(at - 1), mark, at(at + 1))) {
            asciiRun(at, sink);
        }
        int alignment = (int) (at & 1);
        if (at >= wideDone[alignment] && isWideUnit(at)) {
            int before = isWideUnit(at - 2) ? at(at - 2) : 0;
            int after = isWideUnit(at + 2) ? at(at + 2) : 0;
            if (indicatorShape(before, mark, after)) {
                wideRun(at, alignment, sink);
            }
        }
    }

    /**
     * Delivers the printable ASCII run around offset {@code at} (or its piece, when the run is longer than
     * {@link #MAX_LENGTH}) and marks it done. Looks no further than {@code MAX_LENGTH} bytes on either side.
     */
    private void asciiRun(long at, Sink sink) {
        long start = at;
        while (start > Math.max(0, at - MAX_LENGTH) && PRINTABLE[at(start - 1)]) {
            start--;
        }
        long end = at + 1;
        while (end < Math.min(size, at + MAX_LENGTH + 1) && PRINTABLE[at(end)]) {
            end++;
        }
        boolean cut = end - start > MAX_LENGTH;
        if (cut) {
            long pieceStart = at - at % MAX_LENGTH;
            start = Math.max(start, pieceStart);
            end = Math.min(end, pieceStart + MAX_LENGTH);
        }
        asciiDone = end;
        int length = (int) (end - start);
        if (length >= MIN_LENGTH) {
            deliver(window, (int) (start - windowStart), length, !cut, sink);
        }
    }

    /**
     * Delivers the UTF-16LE run of this alignment around the code unit at {@code at} (or its piece, when the run is
     * longer than {@link #MAX_LENGTH} code units) and marks it done. Looks no further than {@code MAX_LENGTH} code
     * units on either side.
     */
    private void wideRun(long at, int alignment, Sink sink) {
        long reach = 2L * MAX_LENGTH;
        long start = at;
        while (start > at - reach && isWideUnit(start - 2)) {
            start -= 2;
        }
        long end = at + 2;
        while (end < at + reach + 2 && isWideUnit(end)) {
            end += 2;
        }
        boolean cut = end - start > reach;
        if (cut) {
            long pieceStart = at - (at - alignment) % reach;
            start = Math.max(start, pieceStart);
            end = Math.min(end, pieceStart + reach);
        }
        wideDone[alignment] = end;
        int length = (int) ((end - start) / 2);
        if (length >= MIN_LENGTH) {
            for (int k = 0; k < length; k++) {
                piece[k] = (byte) at(start + 2L * k);
            }
            deliver(piece, 0, length, !cut, sink);
        }
    }

    /**
     * Hands on {@code text[offset, offset + length)} when it has an indicator shape ({@code known} when the caller
     * already knows it has: a whole run widened from a shape; a piece of a longer run is checked here).
     */
    private static void deliver(byte[] text, int offset, int length, boolean known, Sink sink) {
        if (known || hasShape(text, offset, length)) {
            sink.run(text, offset, length);
        }
    }

    private static boolean hasShape(byte[] text, int offset, int length) {
        for (int i = offset + 1; i + 1 < offset + length; i++) {
            if ((text[i] == '.' || text[i] == ':') && indicatorShape(text[i - 1] & 0xff, text[i], text[i + 1] & 0xff)) {
                return true;
            }
        }
        return false;
    }

    /** True when a printable UTF-16LE code unit starts at {@code offset}. */
    private boolean isWideUnit(long offset) {
        return offset >= 0 && offset + 1 < size && PRINTABLE[at(offset)] && at(offset + 1) == 0;
    }

    /**
     * True when the bytes {@code before mark after} can only be part of an indicator-shaped string: a dotted name or
     * address ({@code a.b}), a URL scheme ({@code :/}) or an IPv6 address ({@code ::}, {@code f:0}). Most printable
     * runs in code and data tables have dots or colons but none of these shapes.
     */
    private static boolean indicatorShape(int before, byte mark, int after) {
        if (mark == '.') {
            return ALNUM[after] && ALNUM[before];
        }
        return after == '/' || after == ':' || (HEX[after] && HEX[before]);
    }

    /** The unsigned byte at file offset {@code offset}, or 0 outside the file (and outside the window). */
    private int at(long offset) {
        return offset >= windowStart && offset < windowEnd ? window[(int) (offset - windowStart)] & 0xff : 0;
    }

    private static final boolean[] PRINTABLE = new boolean[256];
    private static final boolean[] ALNUM = new boolean[256];
    private static final boolean[] HEX = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            PRINTABLE[c] = (c >= 0x20 && c < 0x7f) || c == '\t';
            ALNUM[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            HEX[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }
    }
}
