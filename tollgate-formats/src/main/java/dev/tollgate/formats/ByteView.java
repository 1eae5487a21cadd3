package dev.tollgate.formats;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A read-only window on untrusted bytes (a memory-mapped file, or a heap array) with bounds-checked, little-endian,
 * unsigned reads. Every read past the end throws {@link TruncatedException} naming the absolute file offset, so parsers
 * never see an {@link IndexOutOfBoundsException}.
 *
 * <p>Offsets are relative to this view; {@link #base()} is the view's offset in the original file, used in messages.
 */
public final class ByteView {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfChar U16_CHAR =
            ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Bytes {@link #asciiz} copies at first; enough for almost every name in an import or export table. */
    private static final int NAME_WINDOW = 64;

    private final MemorySegment segment;
    private final long base;

    private ByteView(MemorySegment segment, long base) {
        this.segment = segment;
        this.base = base;
    }

    /** A view on a memory segment (for example a mapped file); the segment must stay alive while the view is used. */
    public static ByteView of(MemorySegment segment) {
        return new ByteView(Objects.requireNonNull(segment, "segment").asReadOnly(), 0);
    }

    /** A view on a heap array; the array is not copied and must not change. */
    public static ByteView of(byte[] bytes) {
        return new ByteView(MemorySegment.ofArray(bytes).asReadOnly(), 0);
    }

    /** The number of bytes in this view. */
    public long size() {
        return segment.byteSize();
    }

    /** This view's offset in the original file. */
    public long base() {
        return base;
    }

    /** The underlying read-only segment, for bulk work such as hashing or native scanning. */
    public MemorySegment segment() {
        return segment;
    }

    /** True when {@code length} bytes are available at {@code offset}. */
    public boolean has(long offset, long length) {
        return offset >= 0 && length >= 0 && offset <= size() && length <= size() - offset;
    }

    /** Throws {@link TruncatedException} unless {@code length} bytes are available at {@code offset}. */
    public void require(long offset, long length, String what) throws TruncatedException {
        if (!has(offset, length)) {
            throw new TruncatedException(base + offset, length, size() - offset, what);
        }
    }

    public int u8(long offset, String what) throws TruncatedException {
        require(offset, 1, what);
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset));
    }

    public int u16(long offset, String what) throws TruncatedException {
        require(offset, 2, what);
        return Short.toUnsignedInt(segment.get(U16, offset));
    }

    public long u32(long offset, String what) throws TruncatedException {
        require(offset, 4, what);
        return Integer.toUnsignedLong(segment.get(U32, offset));
    }

    /** An unsigned 64-bit value; callers compare with {@link Long#compareUnsigned} where the top bit matters. */
    public long u64(long offset, String what) throws TruncatedException {
        require(offset, 8, what);
        return segment.get(U64, offset);
    }

    /** A sub-view of {@code length} bytes at {@code offset}, sharing the same memory. */
    public ByteView slice(long offset, long length, String what) throws TruncatedException {
        require(offset, length, what);
        return new ByteView(segment.asSlice(offset, length), base + offset);
    }

    /** A copy of {@code length} bytes at {@code offset}; callers bound {@code length} before asking. */
    public byte[] bytes(long offset, int length, String what) throws TruncatedException {
        require(offset, length, what);
        return segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * The unsigned 16-bit values at {@code offset}, {@code offset + 2}, ...: {@code count} of them, or as many as lie
     * wholly within this view when fewer do (none when {@code offset} is outside it). One bounds check and one copy for
     * the whole table; a caller that needs the failure for the first missing value reads it with {@link #u16}.
     */
    public char[] u16s(long offset, int count) {
        int n = available(offset, count, Character.BYTES);
        char[] values = new char[n];
        if (n > 0) { // A copy of nothing still checks its offset.
            MemorySegment.copy(segment, U16_CHAR, offset, values, 0, n);
        }
        return values;
    }

    /**
     * The unsigned 32-bit values at {@code offset}, {@code offset + 4}, ...: {@code count} of them, or as many as lie
     * wholly within this view when fewer do, as {@link #u16s} reads them.
     */
    public long[] u32s(long offset, int count) {
        int n = available(offset, count, Integer.BYTES);
        int[] raw = new int[n];
        if (n > 0) {
            MemorySegment.copy(segment, U32, offset, raw, 0, n);
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = Integer.toUnsignedLong(raw[i]);
        }
        return values;
    }

    /** How many of {@code count} values of {@code width} bytes from {@code offset} lie wholly within this view. */
    private int available(long offset, int count, int width) {
        if (count <= 0 || offset < 0 || offset >= size()) {
            return 0;
        }
        return (int) Math.min(count, (size() - offset) / width);
    }

    /** All bytes of this view; only for views whose size the caller has bounded. */
    public byte[] toArray() {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }

    /** An ASCII string of at most {@code maxLength} bytes at {@code offset}, ending at the first NUL. */
    public String asciiz(long offset, int maxLength, String what) throws TruncatedException {
        require(offset, 1, what);
        int length = (int) Math.min(size() - offset, Math.max(0, maxLength));
        // Bulk copies, then a plain scan: PE import and export tables hold tens of thousands of names, mostly short,
        // and a segment access per byte or word costs far more than a copy until the JIT has inlined it. The window
        // doubles, so that a long string costs at most twice its length.
        byte[] bytes = new byte[Math.min(length, NAME_WINDOW)];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, bytes.length);
        int scanned = 0;
        int end;
        while ((end = indexOfNul(bytes, scanned)) < 0 && bytes.length < length) {
            scanned = bytes.length;
            bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * scanned));
            MemorySegment.copy(
                    segment, ValueLayout.JAVA_BYTE, offset + scanned, bytes, scanned, bytes.length - scanned);
        }
        return new String(bytes, 0, end < 0 ? bytes.length : end, StandardCharsets.ISO_8859_1);
    }

    /** The index of the first zero byte at or after {@code from}, or -1. */
    private static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
