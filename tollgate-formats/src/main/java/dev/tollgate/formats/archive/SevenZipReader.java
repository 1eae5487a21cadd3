package dev.tollgate.formats.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.PasswordRequiredException;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;

/** 7z archives (7zFormat.txt), through Commons Compress with its decoder memory limit set. */
final class SevenZipReader {

    private static final int MEMORY_LIMIT_KIB = 256 * 1024;
    private static final int UNIX_EXTENSION = 0x8000;
    private static final int SYMLINK_MAX = 4096;

    private SevenZipReader() {}

    static void read(Walk walk) throws IOException, Refusal {
        SevenZFile archive;
        try {
            archive = SevenZFile.builder()
                    .setSeekableByteChannel(new ByteViewChannel(walk.content()))
                    .setMaxMemoryLimitKb(MEMORY_LIMIT_KIB)
                    .setTryToRecoverBrokenArchives(false)
                    .get();
        } catch (PasswordRequiredException e) {
            walk.problem(
                    ProblemKind.ENCRYPTED,
                    "",
                    "7z archive has encrypted headers; its content cannot be vetted",
                    Map.of());
            return;
        }
        try (archive) {
            SevenZArchiveEntry e;
            while ((e = archive.getNextEntry()) != null) {
                Optional<String> path = walk.admit(e.getName());
                if (path.isEmpty()) {
                    continue;
                }
                if (e.isDirectory() || e.isAntiItem()) {
                    walk.member(new Entry(e.getName(), path.get(), 0, EntryKind.DIRECTORY, Optional.empty(), false));
                    continue;
                }
                if (isUnixSymlink(e) && e.hasStream() && e.getSize() <= SYMLINK_MAX) {
                    String target = new String(stream(archive).readNBytes(SYMLINK_MAX), StandardCharsets.UTF_8);
                    walk.member(new Entry(
                            e.getName(), path.get(), e.getSize(), EntryKind.SYMLINK, Optional.of(target), false));
                    continue;
                }
                Entry entry = Entry.file(e.getName(), path.get(), e.hasStream() ? e.getSize() : 0);
                if (!e.hasStream()) {
                    walk.file(entry, InputStream.nullInputStream());
                    continue;
                }
                try {
                    walk.file(entry, stream(archive));
                } catch (PasswordRequiredException x) {
                    walk.file(
                            new Entry(e.getName(), path.get(), e.getSize(), EntryKind.FILE, Optional.empty(), true),
                            InputStream.nullInputStream());
                }
            }
        }
    }

    /**
     * p7zip stores a Unix symlink as a file whose content is the target, marking it with the Unix mode in the high 16
     * bits of the Windows attributes (flag 0x8000).
     */
    private static boolean isUnixSymlink(SevenZArchiveEntry e) {
        int attributes = e.getHasWindowsAttributes() ? e.getWindowsAttributes() : 0;
        return (attributes & UNIX_EXTENSION) != 0 && ((attributes >>> 16) & 0170000) == 0120000;
    }

    private static InputStream stream(SevenZFile archive) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return archive.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return archive.read(b, off, len);
            }
        };
    }
}
