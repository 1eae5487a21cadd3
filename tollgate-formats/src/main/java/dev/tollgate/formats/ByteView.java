package dev.tollgate.formats;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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

    /** All bytes of this view; only for views whose size the caller has bounded. */
    public byte[] toArray() {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }

    /** An ASCII string of at most {@code maxLength} bytes at {@code offset}, ending at the first NUL. */
    public String asciiz(long offset, int maxLength, String what) throws TruncatedException {
        require(offset, 1, what);
        long end = Math.min(size(), offset + maxLength);
        // Eight bytes at a time: PE import and export tables hold tens of thousands of names.
        long i = offset;
        while (i + Long.BYTES <= end) {
            long word = segment.get(U64, i);
            long zeros = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (zeros != 0) {
                i += Long.numberOfTrailingZeros(zeros) >>> 3; // little-endian: the lowest zero byte is the first
                return latin1(offset, i);
            }
            i += Long.BYTES;
        }
        while (i < end && segment.get(ValueLayout.JAVA_BYTE, i) != 0) {
            i++;
        }
        return latin1(offset, i);
    }

    private String latin1(long from, long to) {
        byte[] bytes = new byte[(int) (to - from)];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, from, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
