package dev.tollgate.formats.nsis;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.TruncatedException;
import java.util.Optional;

/**
 * NSIS's "first header" ({@code firstheader} in NSIS's {@code Source/exehead/fileform.h}): 28 bytes that follow the
 * installer's PE stub and introduce everything the stub reads from its own file.
 *
 * <pre>
 * offset size field
 *  0      4   flags: FH_FLAGS_UNINSTALL 1, FH_FLAGS_SILENT 2, FH_FLAGS_NO_CRC 4, FH_FLAGS_FORCE_CRC 8; no other bit
 *  4      4   siginfo, 0xDEADBEEF
 *  8     12   "NullsoftInst"
 * 20      4   length_of_header: bytes of the decompressed header (the header struct and its blocks)
 * 24      4   length_of_all_following_data: from this first header to the end of the installer data, CRC included
 * </pre>
 *
 * The stub looks for it at each 512-byte boundary of its own file, from the start, and takes the first match: so
 * does {@link #find}. Then come the compressed header and the data block; unless {@code FH_FLAGS_NO_CRC} is set, the
 * last 4 bytes of {@code length_of_all_following_data} are a CRC-32.
 *
 * @param offset where this first header starts in the file
 * @param flags the FH_FLAGS_* bits
 * @param headerLength length_of_header
 * @param archiveLength length_of_all_following_data
 */
public record NsisFirstHeader(long offset, int flags, long headerLength, long archiveLength) {

    /** The size of the first header. */
    public static final int SIZE = 28;

    /** The stub reads its own file in chunks of this many bytes while it looks for the first header. */
    public static final int ALIGNMENT = 512;

    public static final long SIGNATURE = 0xDEADBEEFL;

    /** "Null", "soft", "Inst" as three little-endian 32-bit words (FH_INT1..3). */
    private static final long MAGIC_1 = 0x6C6C754EL;

    private static final long MAGIC_2 = 0x74666F73L;
    private static final long MAGIC_3 = 0x74736E49L;

    public static final int FLAG_UNINSTALL = 1;
    public static final int FLAG_NO_CRC = 4;
    private static final int FLAGS_MASK = 15;

    /**
     * The largest decompressed header accepted. Real headers hold the script, its strings and language tables: tens
     * of KiB, a few MiB for the largest installers. Larger is refused before anything is allocated.
     */
    public static final long MAX_HEADER_BYTES = 64L << 20;

    /** The first header in {@code file}, searched as the NSIS stub searches, or empty when there is none. */
    public static Optional<NsisFirstHeader> find(ByteView file) {
        try {
            for (long at = 0; file.has(at, SIZE); at += ALIGNMENT) {
                if (matches(file, at)) {
                    return Optional.of(new NsisFirstHeader(
                            at,
                            (int) file.u32(at, "NSIS first header flags"),
                            file.u32(at + 20, "NSIS length_of_header"),
                            file.u32(at + 24, "NSIS length_of_all_following_data")));
                }
            }
        } catch (TruncatedException e) {
            // has() was checked: cannot happen.
        }
        return Optional.empty();
    }

    /** True when {@code file} holds an NSIS first header at a 512-byte boundary. */
    public static boolean present(ByteView file) {
        return find(file).isPresent();
    }

    private static boolean matches(ByteView v, long at) throws TruncatedException {
        return v.u32(at + 4, "NSIS siginfo") == SIGNATURE
                && v.u32(at + 8, "NSIS magic") == MAGIC_1
                && v.u32(at + 12, "NSIS magic") == MAGIC_2
                && v.u32(at + 16, "NSIS magic") == MAGIC_3
                && (v.u32(at, "NSIS first header flags") & ~FLAGS_MASK) == 0;
    }

    /** True when the data ends with a CRC-32. */
    public boolean hasCrc() {
        return (flags & FLAG_NO_CRC) == 0;
    }

    /** True for an uninstaller's data (written by WriteUninstaller), not an installer. */
    public boolean uninstaller() {
        return (flags & FLAG_UNINSTALL) != 0;
    }

    /** Where the installer data ends in the file: after the CRC, if any. */
    public long end() {
        return offset + archiveLength;
    }

    /** Where the compressed header (solid: the one compressed stream) starts. */
    public long payloadStart() {
        return offset + SIZE;
    }

    /** Where the installer data ends before its CRC. */
    public long payloadEnd() {
        return end() - (hasCrc() ? 4 : 0);
    }

    /** Checks the declared lengths against the file and the limits. */
    void validate(ByteView file) throws FormatException {
        if (headerLength == 0 || headerLength > MAX_HEADER_BYTES) {
            throw new FormatException(
                    offset + 20,
                    "NSIS length_of_header is " + headerLength + " bytes; expected 1 to " + MAX_HEADER_BYTES);
        }
        long minimum = SIZE + 4 + (hasCrc() ? 4 : 0);
        if (archiveLength < minimum) {
            throw new FormatException(
                    offset + 24,
                    "NSIS length_of_all_following_data is " + archiveLength + " bytes; at least " + minimum
                            + " expected");
        }
        if (!file.has(offset, archiveLength)) {
            throw new TruncatedException(
                    file.base() + offset, archiveLength, file.size() - offset, "NSIS installer data");
        }
    }
}
