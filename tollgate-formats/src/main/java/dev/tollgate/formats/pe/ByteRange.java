package dev.tollgate.formats.pe;

/**
 * A half-open range of file offsets {@code [offset, offset + length)}.
 *
 * @param offset the first byte, from the start of the file
 * @param length the number of bytes; may be zero
 */
public record ByteRange(long offset, long length) {

    public ByteRange {
        if (offset < 0 || length < 0 || offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("invalid byte range: offset " + offset + ", length " + length);
        }
    }

    /** The range {@code [start, end)}. */
    public static ByteRange between(long start, long end) {
        return new ByteRange(start, end - start);
    }

    /** The offset just past the last byte. */
    public long end() {
        return offset + length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** True when {@code position} lies inside this range. */
    public boolean contains(long position) {
        return position >= offset && position < end();
    }

    // Written out because the generated equals and hashCode go through method handles, slow until the JIT has
    // compiled them, and a parse looks every section's range up in a map. The same values as the generated ones.
    @Override
    public boolean equals(Object o) {
        return o instanceof ByteRange r && offset == r.offset && length == r.length;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(offset) + Long.hashCode(length);
    }

    @Override
    public String toString() {
        return "[0x" + Long.toHexString(offset) + ", 0x" + Long.toHexString(end()) + ")";
    }
}
