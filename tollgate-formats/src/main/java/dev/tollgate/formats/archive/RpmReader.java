package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.TruncatedException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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

    /**
     * The install scriptlets (rpm.org "Scriptlets", rpmtag.h): run as root when the package is installed, removed or
     * when a trigger fires, and vetted like a {@code .deb}'s maintainer scripts, as files of their own under
     * {@link #SCRIPTLETS}. The arrays (trigger scripts) hold one script per trigger.
     */
    private static final Map<Integer, String> SCRIPT_TAGS = Map.ofEntries(
            Map.entry(1023, "%pre"),
            Map.entry(1024, "%post"),
            Map.entry(1025, "%preun"),
            Map.entry(1026, "%postun"),
            Map.entry(1065, "%trigger"),
            Map.entry(1079, "%verifyscript"),
            Map.entry(1151, "%pretrans"),
            Map.entry(1152, "%posttrans"),
            Map.entry(5066, "%filetrigger"),
            Map.entry(5076, "%transfiletrigger"));

    /** The directory the scriptlets are reported in: {@code app.rpm!rpm-scriptlets/%post}. */
    static final String SCRIPTLETS = "rpm-scriptlets/";

    /** Scripts read from one header at most; a header listing more is reported, the rest not vetted. */
    static final int MAX_SCRIPTS = 1024;

    private static final int TYPE_STRING_ARRAY = 8;

    /** One scriptlet: its name ({@code %post}, {@code %trigger-2}) and its bytes, a slice of the header. */
    record Script(String name, ByteView content) {}

    /**
     * One parsed header: its string tags that are read ({@link #WANTED}), its scriptlets, whether more scriptlets
     * were listed than {@link #MAX_SCRIPTS}, and where it ends.
     */
    record Header(Map<Integer, String> strings, List<Script> scripts, boolean scriptsTruncated, long end) {}

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
        scriptlets(walk, main);
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
        List<Script> scripts = new ArrayList<>();
        boolean scriptsTruncated = false;
        Set<Integer> scriptTags = new HashSet<>();
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
            String script = tag < Integer.MAX_VALUE ? SCRIPT_TAGS.get((int) tag) : null;
            // The first entry of each script tag only: entries repeating a tag would each scan the store again.
            if (script != null
                    && offset < storeSize
                    && (type == TYPE_STRING || type == TYPE_STRING_ARRAY)
                    && scriptTags.add((int) tag)) {
                long n = type == TYPE_STRING ? 1 : be32(v, e + 12);
                long p = store + offset;
                for (long k = 0; k < n && p < store + storeSize; k++) {
                    if (scripts.size() >= MAX_SCRIPTS) {
                        scriptsTruncated = true;
                        break;
                    }
                    long length = nul(v, p, store + storeSize);
                    String name = type == TYPE_STRING ? script : script + "-" + k;
                    scripts.add(new Script(name, v.slice(p, length, what + " scriptlet")));
                    p += length + 1;
                }
            }
        }
        return new Header(Map.copyOf(strings), List.copyOf(scripts), scriptsTruncated, store + storeSize);
    }

    /** The length of the NUL-terminated string at {@code at}, ending at {@code limit} if no NUL comes first. */
    private static long nul(ByteView v, long at, long limit) {
        MemorySegment segment = v.segment();
        for (long i = at; i < limit; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return i - at;
            }
        }
        return limit - at;
    }

    /** Hands each scriptlet to the walk as a file, vetted like a {@code .deb}'s maintainer scripts. */
    private static void scriptlets(Walk walk, Header main) throws Refusal {
        for (Script script : main.scripts()) {
            String name = SCRIPTLETS + script.name();
            Optional<String> path = walk.admit(name);
            if (path.isPresent()) {
                walk.file(Entry.file(name, path.get(), script.content().size()), script.content());
            }
        }
        if (main.scriptsTruncated()) {
            walk.problem(
                    ProblemKind.LIMIT,
                    "",
                    "the rpm header lists more than " + MAX_SCRIPTS + " scriptlets; the rest were not vetted",
                    Map.of("limit", "scriptlets", "value", MAX_SCRIPTS));
        }
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
