package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.TruncatedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;

/**
 * RPM packages (the RPM file format, rpm.org "RPM v4 package format"): a 96-byte lead, the signature header padded to
 * 8 bytes, the main header, then the payload, a cpio archive compressed as the header's {@code PAYLOADCOMPRESSOR} tag
 * says. The headers are parsed here, bounded: counts and sizes are checked against the file before use.
 */
final class RpmReader {

    static final int TAG_NAME = 1000;
    static final int TAG_VERSION = 1001;
    static final int TAG_RELEASE = 1002;
    static final int TAG_PAYLOAD_FORMAT = 1124;
    static final int TAG_PAYLOAD_COMPRESSOR = 1125;

    private static final int LEAD = 96;
    private static final long HEADER_MAGIC = 0x8EADE801L;
    private static final int MAX_INDEX_ENTRIES = 65_536;
    private static final long MAX_STORE = 256L << 20;
    private static final int TYPE_STRING = 6;
    private static final int TYPE_I18NSTRING = 9;
    private static final int SYMLINK_MAX = 4096;

    /**
     * The string tags a header is read for. Only these are decoded: a header may hold 65,536 index entries, each
     * pointing at a string of up to 4 KiB (or all at the same one), and decoding every one cost hundreds of MiB of
     * heap for a 1 MiB header.
     */
    private static final Set<Integer> WANTED =
            Set.of(TAG_NAME, TAG_VERSION, TAG_RELEASE, TAG_PAYLOAD_FORMAT, TAG_PAYLOAD_COMPRESSOR);

    /** One parsed header: its string tags that are read ({@link #WANTED}) and where it ends. */
    record Header(Map<Integer, String> strings, long end) {}

    private RpmReader() {}

    static void read(Walk walk) throws IOException, Refusal, FormatException {
        ByteView v = walk.content();
        v.require(0, LEAD, "rpm lead");
        if (v.u32(0, "rpm lead magic") != 0xDBEEABEDL) {
            throw new FormatException(0, "rpm lead magic not found");
        }
        Header signature = header(v, LEAD, "signature header");
        long mainAt = (signature.end() + 7) & ~7L;
        Header main = header(v, mainAt, "main header");
        String format = main.strings().getOrDefault(TAG_PAYLOAD_FORMAT, "cpio");
        if (!format.equals("cpio")) {
            walk.problem(ProblemKind.UNSUPPORTED, "", "rpm payload format '" + format + "' is not supported", Map.of());
            return;
        }
        String compressor = main.strings().getOrDefault(TAG_PAYLOAD_COMPRESSOR, "gzip");
        ByteView compressed = v.slice(main.end(), v.size() - main.end(), "rpm payload");
        InputStream raw = ByteViewChannel.stream(compressed);
        InputStream payload;
        switch (compressor) {
            case "gzip" -> payload = StreamReaders.decompressor(ContainerType.GZIP, raw);
            case "bzip2" -> payload = StreamReaders.decompressor(ContainerType.BZIP2, raw);
            case "xz" -> payload = StreamReaders.decompressor(ContainerType.XZ, raw);
            case "zstd" -> {
                ZstdFrames.check(compressed, walk.limits(), "rpm payload");
                payload = StreamReaders.decompressor(ContainerType.ZSTD, raw);
            }
            case "lzma" -> payload = new LZMACompressorInputStream(raw);
            case "identity", "none" -> payload = raw;
            default -> {
                walk.problem(
                        ProblemKind.UNSUPPORTED,
                        "",
                        "rpm payload compressor '" + compressor + "' is not supported",
                        Map.of("compressor", compressor));
                return;
            }
        }
        cpio(walk, walk.metered(payload));
    }

    /**
     * Parses the header structure at {@code at}: magic {@code 8E AD E8 01}, 4 reserved bytes, the index entry count
     * and the data store size (big-endian), 16-byte index entries (tag, type, offset, count), then the store.
     */
    static Header header(ByteView v, long at, String what) throws FormatException {
        v.require(at, 16, what);
        if (be32(v, at) != HEADER_MAGIC) {
            throw new FormatException(
                    at, what + " magic 8eade801 not found (found " + Long.toHexString(be32(v, at)) + ")");
        }
        long count = be32(v, at + 8);
        long storeSize = be32(v, at + 12);
        if (count > MAX_INDEX_ENTRIES || storeSize > MAX_STORE) {
            throw new FormatException(
                    at,
                    what + " declares " + count + " entries and " + storeSize + " bytes of data, beyond the limits of "
                            + MAX_INDEX_ENTRIES + " and " + MAX_STORE);
        }
        long index = at + 16;
        long store = index + count * 16;
        v.require(store, storeSize, what + " data store");
        Map<Integer, String> strings = new HashMap<>();
        for (long i = 0; i < count; i++) {
            long e = index + i * 16;
            long tag = be32(v, e);
            long type = be32(v, e + 4);
            long offset = be32(v, e + 8);
            if ((type == TYPE_STRING || type == TYPE_I18NSTRING)
                    && offset < storeSize
                    && tag < Integer.MAX_VALUE
                    && WANTED.contains((int) tag)
                    && !strings.containsKey((int) tag)) {
                ByteView data = v.slice(store + offset, storeSize - offset, what + " string");
                strings.putIfAbsent((int) tag, data.asciiz(0, 4096, what + " string"));
            }
        }
        return new Header(Map.copyOf(strings), store + storeSize);
    }

    private static long be32(ByteView v, long at) throws TruncatedException {
        return Integer.toUnsignedLong(Integer.reverseBytes((int) v.u32(at, "rpm header field")));
    }

    private static void cpio(Walk walk, InputStream payload) throws IOException, Refusal {
        try (CpioArchiveInputStream cpio = new CpioArchiveInputStream(payload, "UTF-8")) {
            CpioArchiveEntry e;
            while ((e = cpio.getNextEntry()) != null) {
                Optional<String> path = walk.admit(e.getName());
                if (path.isEmpty()) {
                    continue;
                }
                if (e.isDirectory()) {
                    walk.member(new Entry(e.getName(), path.get(), 0, EntryKind.DIRECTORY, Optional.empty(), false));
                } else if (e.isSymbolicLink()) {
                    byte[] target = cpio.readNBytes(SYMLINK_MAX);
                    walk.member(new Entry(
                            e.getName(),
                            path.get(),
                            e.getSize(),
                            EntryKind.SYMLINK,
                            Optional.of(new String(target, StandardCharsets.UTF_8)),
                            false));
                } else if (e.isRegularFile()) {
                    walk.file(Entry.file(e.getName(), path.get(), e.getSize()), cpio);
                }
            }
        }
    }
}
