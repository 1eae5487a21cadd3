package dev.tollgate.formats.pe;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.TruncatedException;
import java.util.Optional;

/** What the directory readers share: the file, its RVA map, the image's word size and the anomaly list. */
final class MappedImage {

    final ByteView data;
    final AddressMap map;
    final boolean pe32Plus;
    final long imageBase;
    final Anomalies anomalies;
    /** Import lookup entries read so far, direct and delayed, against {@link PeFile#MAX_IMPORTS}. */
    int thunksRead;

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
     * The NUL-terminated ASCII string at {@code rva}, at most {@link PeFile#MAX_NAME_LENGTH} bytes; empty (with an
     * anomaly naming {@code what} and {@code fieldOffset}) when it is unmapped, unterminated or too long.
     */
    Optional<String> name(long rva, long fieldOffset, String what) {
        long offset = offset(rva);
        if (offset == AddressMap.UNMAPPED) {
            anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA,
                    fieldOffset,
                    what + " RVA 0x" + Long.toHexString(rva) + " is not in the file");
            return Optional.empty();
        }
        try {
            String s = data.asciiz(offset, PeFile.MAX_NAME_LENGTH + 1, what);
            if (s.length() > PeFile.MAX_NAME_LENGTH) {
                anomalies.add(
                        PeAnomaly.Kind.LIMIT, offset, what + " is longer than " + PeFile.MAX_NAME_LENGTH + " bytes");
                return Optional.empty();
            }
            if (offset + s.length() >= data.size()) {
                anomalies.add(PeAnomaly.Kind.TRUNCATED, offset, what + " is not NUL-terminated before end of file");
                return Optional.empty();
            }
            return Optional.of(s);
        } catch (TruncatedException e) {
            anomalies.add(PeAnomaly.Kind.TRUNCATED, offset, e.getMessage());
            return Optional.empty();
        }
    }

    /** A pointer-sized value: 8 bytes in PE32+, 4 in PE32. */
    long pointer(long offset, String what) throws TruncatedException {
        return pe32Plus ? data.u64(offset, what) : data.u32(offset, what);
    }

    int pointerSize() {
        return pe32Plus ? 8 : 4;
    }
}
