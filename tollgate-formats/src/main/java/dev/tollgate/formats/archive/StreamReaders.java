package dev.tollgate.formats.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The stream formats: tar (POSIX.1-2001 pax, GNU, ustar), the gzip (RFC 1952), xz, bzip2 and zstd (RFC 8878)
 * compressors, alone or around a tar, and ar (Debian packages, {@code deb(5)}). Every decompressed byte is charged
 * to the budget as it is produced, so a bomb is stopped while it expands, skipped entries included.
 */
final class StreamReaders {

    /** The xz decoder allocates its dictionary up front; a header may ask for 1.5 GiB. */
    private static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;

    private static final int TAR_HEADER = 512;

    private StreamReaders() {}

    static void tarOrCompressed(Walk walk, ContainerType type) throws IOException, Refusal {
        InputStream raw = ByteViewChannel.stream(walk.content());
        if (type == ContainerType.TAR) {
            tar(walk, walk.metered(raw));
            return;
        }
        if (type == ContainerType.ZSTD) {
            ZstdFrames.check(walk.content(), walk.limits(), "zstd stream");
        }
        InputStream decompressed = decompressor(type, raw);
        BufferedInputStream in = new BufferedInputStream(walk.metered(decompressed), 64 * 1024);
        if (isTar(in)) {
            tar(walk, in);
            return;
        }
        String name = innerName(walk.name(), type, decompressed);
        Optional<String> path = walk.admit(name);
        if (path.isPresent()) {
            walk.file(Entry.file(name, path.get(), -1), in);
        }
    }

    static InputStream decompressor(ContainerType type, InputStream raw) throws IOException {
        return switch (type) {
            case GZIP ->
                GzipCompressorInputStream.builder()
                        .setInputStream(raw)
                        .setDecompressConcatenated(true)
                        .get();
            case XZ ->
                XZCompressorInputStream.builder()
                        .setInputStream(raw)
                        .setDecompressConcatenated(true)
                        .setMemoryLimitKiB(XZ_MEMORY_LIMIT_KIB)
                        .get();
            case BZIP2 -> new BZip2CompressorInputStream(raw, true);
            case ZSTD -> new io.airlift.compress.zstd.ZstdInputStream(raw);
            default -> throw new IllegalArgumentException("not a compressed stream: " + type);
        };
    }

    private static boolean isTar(BufferedInputStream in) throws IOException {
        in.mark(TAR_HEADER);
        byte[] header = in.readNBytes(TAR_HEADER);
        in.reset();
        return header.length == TAR_HEADER
                && header[257] == 'u'
                && header[258] == 's'
                && header[259] == 't'
                && header[260] == 'a'
                && header[261] == 'r';
    }

    /** The name gzip stored, else the container's name without its compression suffix. */
    private static String innerName(String outer, ContainerType type, InputStream decompressed) {
        if (decompressed instanceof GzipCompressorInputStream gz) {
            String stored = gz.getMetaData().getFileName();
            if (stored != null && !stored.isBlank()) {
                return stored;
            }
        }
        String lower = outer.toLowerCase(Locale.ROOT);
        for (String suffix : new String[] {".gz", ".xz", ".bz2", ".zst", ".zstd", ".z"}) {
            if (lower.endsWith(suffix) && lower.length() > suffix.length()) {
                return outer.substring(0, outer.length() - suffix.length());
            }
        }
        return outer + ".content";
    }

    static void tar(Walk walk, InputStream in) throws IOException, Refusal {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            Optional<String> path = walk.admit(e.getName());
            if (path.isEmpty()) {
                continue;
            }
            if (e.isDirectory()) {
                walk.member(new Entry(e.getName(), path.get(), 0, EntryKind.DIRECTORY, Optional.empty(), false));
            } else if (e.isSymbolicLink()) {
                walk.member(
                        new Entry(e.getName(), path.get(), 0, EntryKind.SYMLINK, Optional.of(e.getLinkName()), false));
            } else if (e.isLink()) {
                walk.member(
                        new Entry(e.getName(), path.get(), 0, EntryKind.HARDLINK, Optional.of(e.getLinkName()), false));
            } else if (e.isFile()) {
                refuseDeclaredBomb(walk, e);
                walk.file(Entry.file(e.getName(), path.get(), e.getSize()), tar);
            }
            // Device nodes and FIFOs have no content to vet.
        }
    }

    /**
     * A tar header declares its entry's size, and the stream must hold that many bytes: an entry that declares far
     * more than the ratio allows is refused before it is expanded (skipping it would expand it too).
     */
    private static void refuseDeclaredBomb(Walk walk, TarArchiveEntry e) throws Refusal {
        Limits limits = walk.limits();
        long size = e.getSize();
        long container = Math.max(1, walk.content().size());
        if (size > limits.bombMinimumBytes() && size / container > limits.maxRatio()) {
            throw new Refusal(
                    Refusal.Scope.CONTAINER,
                    new Problem(
                            ProblemKind.BOMB,
                            e.getName(),
                            "entry " + e.getName() + " declares " + size + " bytes in a container of " + container
                                    + " bytes (ratio above " + limits.maxRatio() + "); refused without expanding",
                            Map.of(
                                    "compressedBytes",
                                    container,
                                    "expandedBytes",
                                    size,
                                    "maxRatio",
                                    limits.maxRatio())));
        }
    }

    static void ar(Walk walk) throws IOException, Refusal {
        try (ArArchiveInputStream ar = new ArArchiveInputStream(walk.metered(ByteViewChannel.stream(walk.content())))) {
            ArArchiveEntry e;
            while ((e = ar.getNextEntry()) != null) {
                Optional<String> path = walk.admit(e.getName());
                if (path.isEmpty()) {
                    continue;
                }
                walk.file(Entry.file(e.getName(), path.get(), e.getLength()), ar);
            }
        } catch (IOException e) {
            if (e instanceof RefusedIOException) {
                throw e;
            }
            walk.problem(
                    ProblemKind.TRUNCATED, "", "ar archive is truncated or corrupt: " + Problem.reason(e), Map.of());
        }
    }
}
