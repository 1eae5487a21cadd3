package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.TruncatedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Zip and its family (jar, war, nupkg, apk, vsix, Electron update zips), through Commons Compress's {@link ZipFile}
 * on the central directory (APPNOTE.TXT 4.3.12), with checks the library leaves to us: each local header (4.3.7)
 * must agree with its central record, declared sizes must not be those of a bomb, and encrypted entries are reported.
 * A zip without a readable central directory (truncated) is read again as a stream of local headers.
 */
final class ZipReader {

    private static final long LOCAL_HEADER = 0x04034b50L;
    private static final int SYMLINK_MAX = 4096;

    private ZipReader() {}

    static void read(Walk walk) throws IOException, Refusal, TruncatedException {
        Optional<String> badLocator = zip64LocatorOutside(walk.content());
        if (badLocator.isPresent()) {
            walk.problem(
                    ProblemKind.TRUNCATED,
                    "",
                    badLocator.get() + "; entries read from their local headers",
                    Map.of("structure", "zip64 end of central directory locator"));
            readStreaming(walk);
            return;
        }
        ZipFile zip;
        try {
            zip = ZipFile.builder()
                    .setSeekableByteChannel(new ByteViewChannel(walk.content()))
                    .setUseUnicodeExtraFields(true)
                    .get();
        } catch (IOException e) {
            walk.problem(
                    ProblemKind.TRUNCATED,
                    "",
                    "zip central directory is missing or broken (" + Problem.reason(e)
                            + "); entries read from their local headers",
                    Map.of());
            readStreaming(walk);
            return;
        }
        try (zip) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
            while (entries.hasMoreElements()) {
                entry(walk, zip, entries.nextElement());
            }
        }
    }

    private static final long END_OF_CENTRAL_DIRECTORY = 0x06054b50L;
    private static final long ZIP64_LOCATOR = 0x07064b50L;
    private static final int END_OF_CENTRAL_DIRECTORY_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_END_OF_CENTRAL_DIRECTORY_SIZE = 56;

    /**
     * Why the zip64 end of central directory locator (APPNOTE.TXT 4.3.15) cannot be followed, if it cannot: its
     * offset lies outside the file. Commons Compress seeks there without a check (a negative offset failed inside the
     * library with an IllegalArgumentException), so the locator is checked here first. The end of central directory
     * record is found as the library finds it: the last signature within its maximum distance from the end.
     */
    static Optional<String> zip64LocatorOutside(ByteView v) throws TruncatedException {
        long size = v.size();
        long lowest = Math.max(0, size - END_OF_CENTRAL_DIRECTORY_SIZE - 0xFFFF);
        for (long at = size - END_OF_CENTRAL_DIRECTORY_SIZE; at >= lowest; at--) {
            if (v.u32(at, "end of central directory signature") != END_OF_CENTRAL_DIRECTORY) {
                continue;
            }
            long locator = at - ZIP64_LOCATOR_SIZE;
            if (locator < 0 || v.u32(locator, "zip64 locator signature") != ZIP64_LOCATOR) {
                return Optional.empty();
            }
            long offset = v.u64(locator + 8, "zip64 end of central directory offset");
            if (offset < 0 || offset > size - ZIP64_END_OF_CENTRAL_DIRECTORY_SIZE) {
                return Optional.of("the zip64 end of central directory locator at offset " + locator
                        + " points at offset " + Long.toUnsignedString(offset) + ", outside the file of " + size
                        + " bytes");
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static void entry(Walk walk, ZipFile zip, ZipArchiveEntry e)
            throws IOException, Refusal, TruncatedException {
        Optional<String> path = walk.admit(e.getName());
        if (path.isEmpty()) {
            return;
        }
        checkLocalHeader(walk, e);
        boolean encrypted = e.getGeneralPurposeBit().usesEncryption()
                || e.getGeneralPurposeBit().usesStrongEncryption();
        long size = e.getSize() < 0 ? -1 : e.getSize();
        if (e.isDirectory()) {
            walk.member(new Entry(e.getName(), path.get(), size, EntryKind.DIRECTORY, Optional.empty(), false));
            return;
        }
        if (e.isUnixSymlink()
                && !encrypted
                && size >= 0
                && size <= SYMLINK_MAX
                && readable(zip.canReadEntryData(e), e)) {
            String target = zip.getUnixSymlink(e);
            walk.member(new Entry(e.getName(), path.get(), size, EntryKind.SYMLINK, Optional.of(target), false));
            return;
        }
        Entry entry = new Entry(e.getName(), path.get(), size, EntryKind.FILE, Optional.empty(), encrypted);
        if (!encrypted && !readable(zip.canReadEntryData(e), e)) {
            walk.problem(
                    ProblemKind.UNSUPPORTED,
                    e.getName(),
                    "entry " + e.getName() + " uses zip method " + e.getMethod()
                            + ", which is not supported; not vetted",
                    Map.of("method", e.getMethod()));
            walk.member(entry);
            return;
        }
        long compressed = e.getCompressedSize();
        Limits limits = walk.limits();
        if (size > limits.bombMinimumBytes() && compressed > 0 && size / compressed > limits.maxRatio()) {
            walk.problem(
                    ProblemKind.BOMB,
                    e.getName(),
                    "entry " + e.getName() + " declares " + size + " bytes from " + compressed
                            + " compressed bytes (ratio above " + limits.maxRatio() + "); refused without expanding",
                    Map.of("compressedBytes", compressed, "expandedBytes", size, "maxRatio", limits.maxRatio()));
            walk.member(entry);
            return;
        }
        if (encrypted) {
            walk.file(entry, InputStream.nullInputStream());
            return;
        }
        try (InputStream in = zip.getInputStream(e)) {
            walk.file(entry, in);
        }
    }

    /**
     * The local header repeats the name, method, CRC and sizes of the central record. Readers that trust one or the
     * other see different files (the Android "master key" bugs), so any disagreement is reported.
     */
    private static void checkLocalHeader(Walk walk, ZipArchiveEntry e) throws TruncatedException {
        ByteView v = walk.content();
        long at = e.getLocalHeaderOffset();
        if (at < 0 || !v.has(at, 30) || v.u32(at, "local file header signature") != LOCAL_HEADER) {
            walk.problem(
                    ProblemKind.HEADER_MISMATCH,
                    e.getName(),
                    "entry " + e.getName() + " has no local header at offset " + at
                            + " where the central directory points",
                    Map.of("offset", at));
            return;
        }
        int method = v.u16(at + 8, "local header method");
        int nameLength = v.u16(at + 26, "local header name length");
        byte[] localName = v.bytes(at + 30, nameLength, "local header name");
        StringBuilder why = new StringBuilder();
        if (!Arrays.equals(localName, e.getRawName())) {
            why.append("name '")
                    .append(new String(localName, StandardCharsets.UTF_8))
                    .append("'");
        }
        if (method != e.getMethod()) {
            why.append(why.isEmpty() ? "" : ", ")
                    .append("method ")
                    .append(method)
                    .append(" vs ")
                    .append(e.getMethod());
        }
        boolean descriptor = (v.u16(at + 6, "local header flags") & 0x08) != 0;
        long crc = v.u32(at + 14, "local header CRC");
        long compressed = v.u32(at + 18, "local header compressed size");
        if (!descriptor && crc != e.getCrc() && e.getCrc() >= 0) {
            why.append(why.isEmpty() ? "" : ", ").append("CRC ").append(Long.toHexString(crc));
        }
        if (!descriptor && compressed != 0xFFFFFFFFL && compressed != e.getCompressedSize()) {
            why.append(why.isEmpty() ? "" : ", ").append("compressed size ").append(compressed);
        }
        if (!why.isEmpty()) {
            walk.problem(
                    ProblemKind.HEADER_MISMATCH,
                    e.getName(),
                    "entry " + e.getName() + ": the local header disagrees with the central directory (" + why + ")",
                    Map.of("offset", at, "differences", why.toString()));
        }
    }

    private static void readStreaming(Walk walk) throws IOException, Refusal {
        try (ZipArchiveInputStream in =
                new ZipArchiveInputStream(walk.metered(ByteViewChannel.stream(walk.content())), "UTF-8", true, true)) {
            ZipArchiveEntry e;
            while ((e = nextEntry(in)) != null) {
                Optional<String> path = walk.admit(e.getName());
                if (path.isEmpty()) {
                    continue;
                }
                boolean encrypted = e.getGeneralPurposeBit().usesEncryption();
                long size = e.getSize() < 0 ? -1 : e.getSize();
                if (e.isDirectory()) {
                    walk.member(new Entry(e.getName(), path.get(), size, EntryKind.DIRECTORY, Optional.empty(), false));
                } else if (encrypted || !readable(in.canReadEntryData(e), e)) {
                    Entry entry = new Entry(e.getName(), path.get(), size, EntryKind.FILE, Optional.empty(), encrypted);
                    if (!encrypted) {
                        walk.problem(
                                ProblemKind.UNSUPPORTED,
                                e.getName(),
                                "entry " + e.getName() + " cannot be read from a stream (method " + e.getMethod()
                                        + "); not vetted",
                                Map.of("method", e.getMethod()));
                        walk.member(entry);
                    } else {
                        walk.file(entry, InputStream.nullInputStream());
                    }
                } else {
                    walk.file(Entry.file(e.getName(), path.get(), size), in);
                }
            }
        }
    }

    /**
     * The next entry of a streamed zip. Commons Compress opens a Zstandard entry's decoder as it reaches the entry,
     * through zstd-jni, which we do not ship; the resulting NoClassDefFoundError becomes an IOException so the walk
     * reports the rest of the zip as unreadable instead of the scan failing.
     */
    private static ZipArchiveEntry nextEntry(ZipArchiveInputStream in) throws IOException {
        try {
            return in.getNextEntry();
        } catch (NoClassDefFoundError e) {
            throw new IOException("an entry uses Zstandard compression (zip method 93), which is not supported", e);
        }
    }

    /** Zip methods 93 and 20: Zstandard, which Commons Compress reads only through zstd-jni's native code. */
    private static final Set<Integer> NEEDS_ZSTD_JNI = Set.of(93, 20);

    /**
     * Whether an entry's data can be read here: Commons Compress says yes to Zstandard entries, then fails with a
     * NoClassDefFoundError because we do not ship zstd-jni (native code we will not load for hostile input). Found by
     * the unpacking fuzzer (UnpackerFuzzTestInputs/unpack/crash-68780fa2...).
     */
    private static boolean readable(boolean commonsCompressSays, ZipArchiveEntry e) {
        return commonsCompressSays && !NEEDS_ZSTD_JNI.contains(e.getMethod());
    }
}
