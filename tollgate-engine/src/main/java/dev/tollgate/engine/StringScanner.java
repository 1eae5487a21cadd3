package dev.tollgate.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Finds the printable strings of a file that may hold a network indicator or a file name, as {@code strings(1)} finds
 * strings: runs of printable ASCII, and runs of UTF-16LE code units in the ASCII range (each printable byte followed
 * by a zero byte), at either byte alignment.
 *
 * <p>Only runs with an indicator shape are delivered: {@code a.b}, {@code :/}, {@code ::} or {@code f:0}. Every URL,
 * domain, IP address and file name has one, and most of a binary's printable runs have none. So the scanner does not
 * follow every run byte by byte: it looks eight bytes at a time for a dot or a colon, and only where one forms such a
 * shape does it widen to the run around it (reading the file's content on either side, across chunk boundaries) and
 * deliver that run. Each byte is widened over at most once per encoding and alignment, so the work stays linear.
 *
 * <p>A run longer than {@link #MAX_LENGTH} is cut into pieces of that length from its start, each piece judged on its
 * own, so memory stays bounded however hostile the input. Not thread-safe: one scanner per file.
 */
final class StringScanner {

    /** Shorter runs are mostly noise in binaries. */
    static final int MIN_LENGTH = 5;

    /** Longest string handed on; a longer run is delivered in pieces. */
    static final int MAX_LENGTH = 4096;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long DOTS = '.' * ONES;
    private static final long COLONS = ':' * ONES;

    private final MemorySegment content;
    private final long size;
    private final Consumer<String> sink;
    private final byte[] piece = new byte[MAX_LENGTH];
    // Offsets before which every ASCII run, and every UTF-16LE run of each alignment, has been dealt with.
    private long asciiDone;
    private final long[] wideDone = new long[2];
    // The chunk being scanned: most bytes the scanner looks at are read from it rather than from the file.
    private byte[] chunk = new byte[0];
    private long chunkBase;
    private int chunkLength;

    /** A scanner for the file {@code content}, which {@link #scan} is then given chunk by chunk. */
    StringScanner(MemorySegment content, Consumer<String> sink) {
        this.content = content;
        this.size = content.byteSize();
        this.sink = sink;
    }

    /**
     * Scans one chunk: {@code chunk[0, length)} holds the file's bytes from offset {@code base}. Chunks may come in any
     * order and size; a run that crosses a chunk's edge is read whole from the file.
     */
    void scan(byte[] chunk, long base, int length) {
        this.chunk = chunk;
        this.chunkBase = base;
        this.chunkLength = length;
        int i = 0;
        int lastWord = length - Long.BYTES;
        while (i < length) {
            if (i <= lastWord && !hasDotOrColon((long) LONGS.get(chunk, i))) {
                i += Long.BYTES;
                continue;
            }
            int end = Math.min(i + Long.BYTES, length);
            for (; i < end; i++) {
                if (chunk[i] == '.' || chunk[i] == ':') {
                    candidate(base + i, chunk[i]);
                }
            }
        }
    }

    /** True when one of the eight bytes of {@code word} is a dot or a colon. */
    private static boolean hasDotOrColon(long word) {
        long dots = word ^ DOTS;
        long colons = word ^ COLONS;
        return ((((dots - ONES) & ~dots) | ((colons - ONES) & ~colons)) & HIGHS) != 0;
    }

    private void candidate(long at, byte mark) {
        if (at >= asciiDone && indicatorShape(at(at - 1), mark, at(at + 1))) {
            asciiRun(at);
        }
        int alignment = (int) (at & 1);
        if (at >= wideDone[alignment] && at(at + 1) == 0 && at(at + 3) == 0) {
            int before = at(at - 1) == 0 ? at(at - 2) : 0;
            if (indicatorShape(before, mark, at(at + 2))) {
                wideRun(at, alignment);
            }
        }
    }

    /** Widens to the printable ASCII run around offset {@code at}, delivers it and marks it done. */
    private void asciiRun(long at) {
        long start = at;
        while (start > asciiDone && PRINTABLE[at(start - 1)]) {
            start--;
        }
        long end = at + 1;
        while (end < size && PRINTABLE[at(end)]) {
            end++;
        }
        asciiDone = end;
        for (long from = start; from < end; from += MAX_LENGTH) {
            int length = (int) Math.min(MAX_LENGTH, end - from);
            for (int k = 0; k < length; k++) {
                piece[k] = (byte) at(from + k);
            }
            deliver(length, end - start <= MAX_LENGTH);
        }
    }

    /** Widens to the UTF-16LE run of this alignment around the code unit at {@code at}, delivers it and marks it done. */
    private void wideRun(long at, int alignment) {
        long start = at;
        while (start - 2 >= wideDone[alignment] && isWideUnit(start - 2)) {
            start -= 2;
        }
        long end = at + 2;
        while (isWideUnit(end)) {
            end += 2;
        }
        wideDone[alignment] = end;
        long units = (end - start) / 2;
        for (long from = start; from < end; from += 2L * MAX_LENGTH) {
            int length = (int) Math.min(MAX_LENGTH, (end - from) / 2);
            for (int k = 0; k < length; k++) {
                piece[k] = (byte) at(from + 2L * k);
            }
            deliver(length, units <= MAX_LENGTH);
        }
    }

    private boolean isWideUnit(long offset) {
        return offset >= 0 && offset + 1 < size && PRINTABLE[at(offset)] && at(offset + 1) == 0;
    }

    /**
     * Hands on {@code piece[0, length)} when it is long enough and has an indicator shape ({@code known} when the
     * caller already knows it has: a whole run widened from a shape).
     */
    private void deliver(int length, boolean known) {
        if (length >= MIN_LENGTH && (known || hasShape(piece, length))) {
            sink.accept(new String(piece, 0, length, StandardCharsets.ISO_8859_1));
        }
    }

    private static boolean hasShape(byte[] text, int length) {
        for (int i = 1; i + 1 < length; i++) {
            if ((text[i] == '.' || text[i] == ':') && indicatorShape(text[i - 1] & 0xff, text[i], text[i + 1] & 0xff)) {
                return true;
            }
        }
        return false;
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

    /** The unsigned byte at {@code offset}, or 0 outside the file. */
    private int at(long offset) {
        long inChunk = offset - chunkBase;
        if (inChunk >= 0 && inChunk < chunkLength) {
            return chunk[(int) inChunk] & 0xff;
        }
        return offset >= 0 && offset < size ? content.get(ValueLayout.JAVA_BYTE, offset) & 0xff : 0;
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
