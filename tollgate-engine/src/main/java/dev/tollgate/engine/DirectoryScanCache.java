package dev.tollgate.engine;

import dev.tollgate.model.FileRecord;
import dev.tollgate.model.IoMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link ScanCache} in a directory: one file per entry, named by the SHA-256 of the entry's format and key, so that
 * a key can only find its own entry. The directory is created with mode 0700 and not used when another user owns it
 * or it is writable by group or others (whoever can write it decides what OLD looked like). Entries are written to a
 * temporary file and renamed into place, so concurrent writers and readers only ever see whole entries; an entry is
 * read with {@link #MAX_ENTRY_BYTES} as a bound and validated by {@link ScanCacheEntry#read}.
 */
final class DirectoryScanCache implements ScanCache {

    /** A bound on one entry: a 640 MB release's biggest file has entries of a few hundred KiB. */
    static final long MAX_ENTRY_BYTES = 64L << 20;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private final Consumer<String> warnings;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger misses = new AtomicInteger();
    private final AtomicInteger stored = new AtomicInteger();
    private final AtomicBoolean storeFailureReported = new AtomicBoolean();

    private DirectoryScanCache(Path directory, Consumer<String> warnings) {
        this.directory = directory;
        this.warnings = warnings;
    }

    static ScanCache open(Path directory, Consumer<String> warnings) {
        try {
            return new DirectoryScanCache(prepare(directory), warnings);
        } catch (IOException e) {
            warnings.accept("scan cache " + directory + " not used: " + IoMessages.reason(e));
            return ScanCache.none();
        }
    }

    /** Creates the directory (0700) when missing; refuses one that is not safely ours. */
    private static Path prepare(Path directory) throws IOException {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.exists(directory)) {
            try {
                if (posix) {
                    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createDirectories(directory);
                }
            } catch (FileAlreadyExistsException e) {
                // created by a concurrent run, or a file is in the way: checked below
            }
        }
        Path real = directory.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new IOException("not a directory");
        }
        if (posix) {
            PosixFileAttributes attributes = Files.readAttributes(real, PosixFileAttributes.class);
            UserPrincipal me = currentUser(real);
            if (!attributes.owner().equals(me)) {
                throw new IOException("owned by " + attributes.owner().getName() + ", not by " + me.getName());
            }
            Set<PosixFilePermission> permissions = attributes.permissions();
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException("writable by group or others (mode " + PosixFilePermissions.toString(permissions)
                        + "); chmod 700 it");
            }
        }
        return real;
    }

    /** Who we are, as the file system sees it: the owner of a file we create (no JDK API gives the uid). */
    private static UserPrincipal currentUser(Path directory) throws IOException {
        Path probe = Files.createTempFile(directory, ".probe-", ".tmp");
        try {
            return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The directory entries live in. */
    Path directory() {
        return directory;
    }

    /** The entry file for {@code key}. */
    Path entryFile(Key key) {
        String id = String.join(
                "\n", ScanCacheEntry.FORMAT, key.context(), key.name(), key.sha256(), Long.toString(key.size()));
        return directory.resolve(
                DigestStream.hex(DigestStream.Algorithm.SHA_256, id.getBytes(StandardCharsets.UTF_8)) + ".json");
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Optional<List<FileRecord>> load(Key key) {
        Path file = entryFile(key);
        byte[] bytes;
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return invalid(file, "not a regular file");
            }
            bytes = readBounded(file);
        } catch (NoSuchFileException e) {
            misses.incrementAndGet();
            return Optional.empty();
        } catch (IOException e) {
            return invalid(file, IoMessages.reason(e));
        }
        try {
            List<FileRecord> records = ScanCacheEntry.read(bytes, key);
            hits.incrementAndGet();
            return Optional.of(records);
        } catch (ScanCacheEntry.InvalidEntryException e) {
            return invalid(file, e.getMessage());
        }
    }

    /** A miss; the entry is removed so that the file, vetted again, gets a fresh one ({@link #store} keeps any). */
    private Optional<List<FileRecord>> invalid(Path file, String why) {
        misses.incrementAndGet();
        warnings.accept("ignoring scan cache entry " + file + ": " + why);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the next store fails the same way and says so
        }
        return Optional.empty();
    }

    private static byte[] readBounded(Path file) throws IOException {
        try (SeekableByteChannel channel =
                        Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                InputStream in = Channels.newInputStream(channel)) {
            if (channel.size() > MAX_ENTRY_BYTES) {
                throw new IOException(channel.size() + " bytes, more than the limit of " + MAX_ENTRY_BYTES);
            }
            byte[] bytes = in.readNBytes((int) MAX_ENTRY_BYTES + 1);
            if (bytes.length > MAX_ENTRY_BYTES) {
                throw new IOException("more than " + MAX_ENTRY_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /**
     * Writes the entry unless one exists: entries are keyed by content, so an existing entry holds the same records,
     * and a release that is mostly its predecessor costs almost no writes. An invalid entry is removed when read.
     */
    @Override
    public void store(Key key, List<FileRecord> records) {
        Path target = entryFile(key);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        byte[] bytes;
        try {
            bytes = ScanCacheEntry.write(key, records);
        } catch (IllegalArgumentException e) {
            return; // not cacheable (an unusual record); the next diff vets this file again
        }
        Path temporary = null;
        try {
            // createTempFile makes the file 0600 on POSIX; the rename replaces any entry atomically.
            temporary = Files.createTempFile(directory, ".entry-", ".tmp");
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
            stored.incrementAndGet();
        } catch (IOException e) {
            if (storeFailureReported.compareAndSet(false, true)) {
                warnings.accept("cannot write to the scan cache " + directory + ": " + IoMessages.reason(e));
            }
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a stray temporary file is harmless: it never matches an entry name
                }
            }
        }
    }

    @Override
    public Statistics statistics() {
        return new Statistics(hits.get(), misses.get(), stored.get());
    }
}
