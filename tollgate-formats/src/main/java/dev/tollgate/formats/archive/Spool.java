package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns an entry's stream into a {@link ByteView}: on the heap up to {@link Limits#memoryThreshold()}, beyond that in
 * a temporary file that is memory-mapped. Temporary files live in one private directory (owner-only permissions),
 * created on first need; their names are generated, never taken from an archive, so nothing an archive names is
 * ever written, and nothing is written outside that directory. {@link #close()} deletes the directory; a shutdown hook
 * deletes the directories still open when the JVM stops (SIGINT, SIGTERM, {@code System.exit}); and the first
 * directory a process creates under a parent sweeps that parent for the directories of processes that were killed
 * without running their hook ({@link #removeStale}): the directory's name carries its process's id.
 */
final class Spool implements AutoCloseable {

    /** Bytes of expanded content, delivered to the caller's charge callback while they are read. */
    @FunctionalInterface
    interface Meter {
        void charge(long bytes) throws Refusal;
    }

    /** Spooled bytes; {@link #close()} unmaps and deletes them. */
    interface Content extends AutoCloseable {
        ByteView view();

        @Override
        void close();
    }

    private static final int CHUNK = 64 * 1024;

    private final long memoryThreshold;
    private final SpoolMemory memory;
    private final Path parent;
    private Optional<Path> directory = Optional.empty();

    Spool(long memoryThreshold, SpoolMemory memory, Path parent) {
        this.memoryThreshold = memoryThreshold;
        this.memory = memory;
        this.parent = parent;
    }

    /**
     * Reads {@code in} to its end, or refuses once {@code maxBytes} is passed ({@link Refusal.Scope#ENTRY}). The
     * content stays on the heap while it is at most {@link Limits#memoryThreshold()} and fits what is left of the
     * shared {@link SpoolMemory}; otherwise it goes to a temporary file.
     *
     * @param sizeHint the declared size when known (to size the buffer), else -1; never trusted beyond a hint
     */
    Content read(InputStream in, long sizeHint, long maxBytes, String entry, Meter meter) throws IOException, Refusal {
        if (sizeHint > memoryThreshold) {
            return spill(in, new byte[0], 0, maxBytes, entry, meter);
        }
        // A declared size is allocated exactly (one byte is then probed for the end); an unknown one grows by doubling.
        int capacity = (int) (sizeHint >= 0 ? sizeHint : Math.min(CHUNK, memoryThreshold));
        if (!memory.tryReserve(capacity)) {
            return spill(in, new byte[0], 0, maxBytes, entry, meter);
        }
        long reserved = capacity;
        boolean handedOver = false;
        try {
            byte[] buffer = new byte[capacity];
            int length = 0;
            while (true) {
                if (length == buffer.length) {
                    int next = in.read();
                    if (next < 0) {
                        break;
                    }
                    long grown = Math.min(memoryThreshold, Math.max((long) length * 2, CHUNK));
                    if (length >= memoryThreshold || !memory.tryReserve(grown - buffer.length)) {
                        byte[] head = buffer;
                        buffer = null;
                        memory.release(reserved);
                        reserved = 0;
                        return spill(in, head, length, next, maxBytes, entry, meter);
                    }
                    reserved += grown - buffer.length;
                    buffer = Arrays.copyOf(buffer, (int) grown);
                    buffer[length++] = (byte) next;
                    checkEntrySize(length, maxBytes, entry);
                    meter.charge(1);
                    continue;
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
                checkEntrySize(length, maxBytes, entry);
                meter.charge(n);
            }
            ByteView view = ByteView.of(MemorySegment.ofArray(buffer).asSlice(0, length));
            long held = reserved;
            handedOver = true;
            return new Content() {
                private boolean closed;

                @Override
                public ByteView view() {
                    return view;
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        memory.release(held);
                    }
                }
            };
        } finally {
            if (!handedOver && reserved > 0) {
                memory.release(reserved);
            }
        }
    }

    private Content spill(InputStream in, byte[] head, int headLength, long maxBytes, String entry, Meter meter)
            throws IOException, Refusal {
        return spill(in, head, headLength, -1, maxBytes, entry, meter);
    }

    /** Writes {@code head}, then {@code probed} (a byte already read, or -1), then the rest of {@code in} to a file. */
    private Content spill(
            InputStream in, byte[] head, int headLength, int probed, long maxBytes, String entry, Meter meter)
            throws IOException, Refusal {
        if (stopping) {
            throw new IOException("the JVM is stopping; nothing more is spooled");
        }
        Path file = Files.createTempFile(directory(), "entry-", ".bin", ownerOnly("rw-------"));
        boolean done = false;
        try {
            long length = headLength;
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
                out.write(head, 0, headLength);
                if (probed >= 0) {
                    length++;
                    checkEntrySize(length, maxBytes, entry);
                    meter.charge(1);
                    out.write(probed);
                }
                byte[] chunk = new byte[CHUNK];
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    length += n;
                    checkEntrySize(length, maxBytes, entry);
                    meter.charge(n);
                    out.write(chunk, 0, n);
                }
            }
            if (length == 0) {
                deleteQuietly(file);
                done = true;
                ByteView empty = ByteView.of(new byte[0]);
                return new Content() {
                    @Override
                    public ByteView view() {
                        return empty;
                    }

                    @Override
                    public void close() {}
                };
            }
            Arena arena = Arena.ofShared();
            ByteView view;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                view = ByteView.of(channel.map(FileChannel.MapMode.READ_ONLY, 0, length, arena));
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
            done = true;
            return new Content() {
                @Override
                public ByteView view() {
                    return view;
                }

                @Override
                public void close() {
                    arena.close();
                    deleteQuietly(file);
                }
            };
        } finally {
            if (!done) {
                deleteQuietly(file);
            }
        }
    }

    private static void checkEntrySize(long length, long maxBytes, String entry) throws Refusal {
        if (length > maxBytes) {
            throw new Refusal(
                    Refusal.Scope.ENTRY,
                    new Problem(
                            ProblemKind.LIMIT,
                            entry,
                            "entry " + entry + " is larger than " + maxBytes + " bytes; not vetted",
                            java.util.Map.of("limit", "maxEntryBytes", "value", maxBytes)));
        }
    }

    private Path directory() throws IOException {
        if (directory.isEmpty()) {
            Path created = Files.createTempDirectory(parent, PREFIX + PID + "-", ownerOnly("rwx------"));
            LIVE.add(created);
            installCleanupHook();
            directory = Optional.of(created);
            if (SWEPT.add(parent.toAbsolutePath().normalize())) {
                removeStale(parent, created);
            }
        }
        return directory.get();
    }

    /** The name of every private directory: the prefix, the owning process's id, a dash, a random number. */
    static final String PREFIX = "tollgate-unpack-";

    private static final long PID = ProcessHandle.current().pid();

    private static final Pattern OWNED = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,19})-\\d+");

    /** The parents already swept for stale directories by this process: once each is enough. */
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    /**
     * Deletes the private directories that a killed run left under {@code parent} (SIGKILL, a power cut: no shutdown
     * hook ran): only directories of this kind (named {@link #PREFIX}, the pid, a random number), owned by the same
     * user as {@code ours}, whose process is gone. A live process's directory is never touched, whichever it is.
     */
    static void removeStale(Path parent, Path ours) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, PREFIX + "*")) {
            UserPrincipal owner = Files.getOwner(ours, LinkOption.NOFOLLOW_LINKS);
            for (Path child : children) {
                Matcher m = OWNED.matcher(child.getFileName().toString());
                if (!m.matches()
                        || !Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
                        || !owner.equals(Files.getOwner(child, LinkOption.NOFOLLOW_LINKS))) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != PID
                        && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    deleteTree(child);
                }
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Best effort: a directory that cannot be listed or read keeps its stale children.
        }
    }

    /** Directories not yet closed, removed by a shutdown hook when the JVM stops mid-scan (Ctrl-C, System.exit). */
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    private static Thread hook;

    /** Set when the JVM stops: spooling then refuses to create files that the cleanup could miss. */
    private static volatile boolean stopping;

    private static synchronized void installCleanupHook() {
        if (hook == null) {
            hook = new Thread(
                    () -> {
                        // Scan threads still run while the hook does: no new file from now on, then two sweeps, the
                        // second for a file created while the first one walked.
                        stopping = true;
                        for (int pass = 0; pass < 2; pass++) {
                            for (Path p : LIVE) {
                                deleteTree(p);
                            }
                        }
                    },
                    "tollgate-unpack-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // Best effort at shutdown: a file that went meanwhile, or one that cannot be deleted.
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly(String permissions) {
        if (!java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews()
                .contains("posix")) {
            return new java.nio.file.attribute.FileAttribute<?>[0];
        }
        return new java.nio.file.attribute.FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
        };
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The directory sweep in close() retries.
        }
    }

    @Override
    public void close() {
        if (directory.isEmpty()) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory.get())) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the temporary directory " + directory.get(), e);
        }
        LIVE.remove(directory.get());
        directory = Optional.empty();
    }
}
