package dev.tollgate.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A content-addressed directory of blobs: a blob's path is {@code sha256/ab/cd/<sha256>} under the root. A blob is
 * streamed to a temporary file under {@code incoming/} on the same file system while its SHA-256 is computed, forced
 * to disk, then renamed atomically into place; a blob that exists is never rewritten. What fails half-way leaves
 * nothing but a deleted temporary file. Thread-safe; several processes may share the directory.
 */
public final class BlobStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER_BYTES = 256 << 10;

    private final Path root;
    private final Path incoming;
    private final long reserveBytes;

    /**
     * @param root the directory, created when missing
     * @param reserveBytes free space that uploads must leave on the file system, so that a full disk refuses an
     *     upload instead of failing the database or the log beside it
     */
    public BlobStore(Path root, long reserveBytes) throws IOException {
        if (reserveBytes < 0) {
            throw new IllegalArgumentException("reserveBytes cannot be negative: " + reserveBytes);
        }
        this.root = Files.createDirectories(root.toAbsolutePath().normalize());
        this.incoming = Files.createDirectories(this.root.resolve("incoming"));
        Files.createDirectories(this.root.resolve("sha256"));
        this.reserveBytes = reserveBytes;
    }

    /** What was stored: the content's SHA-256 (lower-case hex) and size, and whether these bytes were new. */
    public record Stored(String sha256, long size, boolean created) {}

    /**
     * Streams {@code content} into the store.
     *
     * @param expectedBytes the size announced by the caller, checked against free space first; -1 when unknown
     * @param maxBytes reading stops, and the blob is refused, as soon as more bytes than this arrive
     * @throws BlobTooLargeException when the content is longer than {@code maxBytes}
     * @throws InsufficientStorageException when the file system cannot hold it and keep the reserve free
     */
    public Stored store(InputStream content, long expectedBytes, long maxBytes) throws IOException {
        Objects.requireNonNull(content, "content");
        if (expectedBytes > maxBytes) {
            throw new BlobTooLargeException(expectedBytes, maxBytes);
        }
        requireSpace(Math.max(expectedBytes, 0));
        Path temporary = Files.createTempFile(incoming, "upload-", ".part");
        try {
            MessageDigest sha256 = sha256();
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temporary), sha256)) {
                byte[] buffer = new byte[BUFFER_BYTES];
                for (int n; (n = content.read(buffer)) != -1; ) {
                    size += n;
                    if (size > maxBytes) {
                        throw new BlobTooLargeException(size, maxBytes);
                    }
                    if ((size & ((64L << 20) - 1)) < n) { // about every 64 MiB: a disk filled meanwhile stops us
                        requireSpace(0);
                    }
                    out.write(buffer, 0, n);
                }
            }
            try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            String hash = HexFormat.of().formatHex(sha256.digest());
            Path target = path(hash);
            if (Files.exists(target)) {
                return new Stored(hash, size, false);
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                return new Stored(hash, size, false); // another upload of the same bytes won the race
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the blob store's incoming directory is on another file system than " + target);
            }
            return new Stored(hash, size, true);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The path of a stored blob, when the store holds it. */
    public Optional<Path> find(String sha256) {
        Path path = path(sha256);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    /** Bytes that uploads may still use: the file system's usable space less the reserve. */
    public long availableBytes() throws IOException {
        return Math.max(0, Files.getFileStore(root).getUsableSpace() - reserveBytes);
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    private Path path(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        return root.resolve("sha256")
                .resolve(sha256.substring(0, 2))
                .resolve(sha256.substring(2, 4))
                .resolve(sha256);
    }

    private void requireSpace(long bytes) throws IOException {
        long available = availableBytes();
        if (bytes > available || available == 0) {
            throw new InsufficientStorageException(bytes, available);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
