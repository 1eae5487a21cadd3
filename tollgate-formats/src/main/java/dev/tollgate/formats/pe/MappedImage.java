package dev.tollgate.formats.pe;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.TruncatedException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * What the directory readers share: the file, its RVA map, the image's word size and the anomaly list. One parse's, so
 * for one thread.
 */
final class MappedImage {

    /** Bytes copied into {@link #window} at a time; a longer name is read on its own. */
    private static final int NAME_WINDOW = 1024;

    final ByteView data;
    final AddressMap map;
    final boolean pe32Plus;
    final long imageBase;
    final Anomalies anomalies;
    /** Import lookup entries read so far, direct and delayed, against {@link PeFile#MAX_IMPORTS}. */
    int thunksRead;
    /**
     * A copy of the file's bytes from {@link #windowStart}, from which {@link #name} takes the names it can: the names
     * of one table usually lie together, so one copy serves many, and a name costs one copy, into its string.
     */
    private byte[] window = new byte[0];

    private long windowStart;

    MappedImage(ByteView data, AddressMap map, boolean pe32Plus, long imageBase, Anomalies anomalies) {
        this.data = data;
        this.map = map;
        this.pe32Plus = pe32Plus;
        this.imageBase = imageBase;
        this.anomalies = anomalies;
    }

    /** The file offset of {@code rva}, or {@link AddressMap#UNMAPPED}. */
    long offset(long rva) {
        return map.toOffset(rva);
    }

    /**
     * The NUL-terminated ASCII string at {@code rva}, at most {@link PeFile#MAX_NAME_LENGTH} bytes; null (with an
     * anomaly naming {@code what} and {@code fieldOffset}) when it is unmapped, unterminated or too long. Null rather
     * than an empty {@code Optional} because import and export tables ask for tens of thousands of names.
     */
    String name(long rva, long fieldOffset, String what) {
        long offset = offset(rva);
        if (offset == AddressMap.UNMAPPED) {
            anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA,
                    fieldOffset,
                    what + " RVA 0x" + Long.toHexString(rva) + " is not in the file");
            return null;
        }
        try {
            String s = asciiz(offset, what);
            if (s.length() > PeFile.MAX_NAME_LENGTH) {
                anomalies.add(
                        PeAnomaly.Kind.LIMIT, offset, what + " is longer than " + PeFile.MAX_NAME_LENGTH + " bytes");
                return null;
            }
            if (offset + s.length() >= data.size()) {
                anomalies.add(PeAnomaly.Kind.TRUNCATED, offset, what + " is not NUL-terminated before end of file");
                return null;
            }
            return s;
        } catch (TruncatedException e) {
            anomalies.add(PeAnomaly.Kind.TRUNCATED, offset, e.getMessage());
            return null;
        }
    }

    /**
     * The string at {@code offset} exactly as {@code data.asciiz(offset, MAX_NAME_LENGTH + 1, what)} reads it, from a
     * copy of the bytes around it when that copy holds all of it.
     */
    private String asciiz(long offset, String what) throws TruncatedException {
        if (offset < 0 || offset >= data.size()) {
            return data.asciiz(offset, PeFile.MAX_NAME_LENGTH + 1, what); // Throws, naming the offset.
        }
        long limit = Math.min(data.size(), offset + PeFile.MAX_NAME_LENGTH + 1);
        String s = fromWindow(offset, limit);
        if (s == null) {
            int n = (int) Math.min(NAME_WINDOW, data.size() - offset);
            if (window.length != n) {
                window = new byte[n];
            }
            MemorySegment.copy(data.segment(), ValueLayout.JAVA_BYTE, offset, window, 0, n);
            windowStart = offset;
            s = fromWindow(offset, limit);
        }
        // Only a string longer than the window is read on its own.
        return s != null ? s : data.asciiz(offset, PeFile.MAX_NAME_LENGTH + 1, what);
    }

    /**
     * The string at {@code offset}, which ends at its NUL or at {@code limit}; null when the window does not hold
     * {@code offset} or does not reach that end.
     */
    private String fromWindow(long offset, long limit) {
        if (offset < windowStart || offset - windowStart >= window.length) {
            return null;
        }
        int from = (int) (offset - windowStart);
        int to = (int) Math.min(window.length, limit - windowStart);
        for (int i = from; i < to; i++) {
            if (window[i] == 0) {
                return new String(window, from, i - from, StandardCharsets.ISO_8859_1);
            }
        }
        return windowStart + window.length >= limit
                ? new String(window, from, to - from, StandardCharsets.ISO_8859_1)
                : null;
    }

    /** A pointer-sized value: 8 bytes in PE32+, 4 in PE32. */
    long pointer(long offset, String what) throws TruncatedException {
        return pe32Plus ? data.u64(offset, what) : data.u32(offset, what);
    }

    int pointerSize() {
        return pe32Plus ? 8 : 4;
    }
}
