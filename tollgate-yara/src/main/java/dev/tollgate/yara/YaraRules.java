package dev.tollgate.yara;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * Compiled YARA rules, run by the system libyara 4.2 in-process. Compile them from {@code .yar} files, directories of
 * them, or rule text ({@link #builder()}); save and {@link #load} them; {@link #scan} memory with them from any number
 * of threads at once; {@link #close()} them when done.
 *
 * <p>Each rule file is compiled into its own namespace named after the file, so two files may reuse a rule name.
 * Modules built into Debian's libyara ({@code pe}, {@code elf}, {@code math}, {@code hash}, ...) can be imported.
 *
 * <p>Thread-safe. {@link #close()} waits for running scans and makes later calls fail with {@link
 * IllegalStateException}.
 */
// Restricted FFM calls are this module's purpose; the launcher and tests grant --enable-native-access.
@SuppressWarnings("restricted")
public final class YaraRules implements AutoCloseable {

    /** At most this many matches are reported per string of a rule. */
    public static final int MAX_MATCHES_PER_STRING = 16;

    /** At most this many matches are reported per rule. */
    public static final int MAX_MATCHES_PER_RULE = 256;

    /** Saved rules larger than this are refused on load. */
    static final long MAX_SAVED_SIZE = 1L << 30;

    /** Directory walks stop this deep. */
    static final int MAX_DIRECTORY_DEPTH = 32;

    // "TGYARA" + format version; then the SHA-256 of the payload, then libyara's yr_rules_save_stream output.
    private static final byte[] SAVED_MAGIC = {'T', 'G', 'Y', 'A', 'R', 'A', 0, 1};
    private static final int SAVED_HEADER = SAVED_MAGIC.length + 32;

    private static final int O_RDONLY_CLOEXEC = 02000000;

    private final Libyara yara;
    private final MemorySegment rules;
    private final List<YaraDiagnostic> warnings;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private YaraRules(Libyara yara, MemorySegment rules, List<YaraDiagnostic> warnings) {
        this.yara = yara;
        this.rules = rules;
        this.warnings = List.copyOf(warnings);
    }

    /** A builder collecting rule files and rule text to compile together. */
    public static Builder builder() {
        return new Builder();
    }

    /** Compiles the given {@code .yar} files and directories (see {@link Builder#addPath}). */
    public static YaraRules compile(List<Path> paths) throws YaraException, IOException {
        Builder b = builder();
        for (Path p : paths) {
            b.addPath(p);
        }
        return b.compile();
    }

    /** The compiler's warnings (for example, strings that slow scanning down). */
    public List<YaraDiagnostic> warnings() {
        return warnings;
    }

    /**
     * Scans {@code data} and returns the rules that matched, in libyara's order.
     *
     * @param data the bytes to scan; a native segment (such as a mapped file) is scanned in place, a heap segment is
     *     copied first
     * @param timeout the longest the scan may take; libyara counts whole seconds, so this is rounded up
     * @throws YaraScanException when libyara fails, with {@link YaraScanException#isTimeout()} set on a timeout
     */
    public List<YaraMatch> scan(MemorySegment data, Duration timeout) throws YaraScanException {
        Objects.requireNonNull(data, "data");
        int seconds = timeoutSeconds(timeout);
        lifecycle.readLock().lock();
        try {
            requireOpen();
            ScanSession session = new ScanSession();
            int rc;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = nativeCopy(data, arena);
                int flags = Libyara.SCAN_FLAGS_REPORT_RULES_MATCHING | Libyara.SCAN_FLAGS_NO_TRYCATCH;
                rc = session.run(() -> (int) yara.rulesScanMem.invokeExact(
                        rules, buffer, data.byteSize(), flags, yara.scanCallback, MemorySegment.NULL, seconds));
            } catch (Error | RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("yr_rules_scan_mem could not be called", t);
            }
            if (rc == Libyara.ERROR_CALLBACK_ERROR && session.failure != null) {
                throw new YaraScanException(
                        "reading libyara's match report failed: " + session.failure, rc, session.failure);
            }
            if (rc != Libyara.ERROR_SUCCESS) {
                String what = rc == Libyara.ERROR_SCAN_TIMEOUT
                        ? "scan timed out after " + seconds + " s (" + Libyara.errorName(rc) + ")"
                        : "scan failed: " + Libyara.errorName(rc);
                throw new YaraScanException(what, rc);
            }
            return List.copyOf(session.matches);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static int timeoutSeconds(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        long seconds = timeout.toSeconds() + (timeout.toNanosPart() > 0 ? 1 : 0);
        return (int) Math.min(seconds, Integer.MAX_VALUE);
    }

    // libyara needs a stable native address; heap arrays move. An empty input still gets a valid pointer.
    private static MemorySegment nativeCopy(MemorySegment data, Arena arena) {
        if (data.isNative() && data.byteSize() > 0) {
            return data;
        }
        MemorySegment copy = arena.allocate(Math.max(1, data.byteSize()));
        MemorySegment.copy(data, 0, copy, 0, data.byteSize());
        return copy;
    }

    /**
     * Saves these rules to {@code file} (replaced atomically): libyara's compiled form behind a Tollgate header that
     * carries its SHA-256, so {@link #load} detects a damaged file before libyara parses it.
     */
    public void save(Path file) throws YaraException, IOException {
        Objects.requireNonNull(file, "file");
        byte[] payload;
        lifecycle.readLock().lock();
        try {
            requireOpen();
            payload = saveToBytes();
        } finally {
            lifecycle.readLock().unlock();
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (var out = Files.newOutputStream(tmp)) {
                out.write(SAVED_MAGIC);
                out.write(sha256(payload));
                out.write(payload);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private byte[] saveToBytes() throws YaraScanException {
        StreamWriter writer = new StreamWriter();
        int rc;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stream = arena.allocate(Libyara.STREAM_SIZE, 8);
            stream.set(ADDRESS, 0, MemorySegment.NULL);
            stream.set(ADDRESS, 8, MemorySegment.NULL);
            stream.set(ADDRESS, 16, yara.upcall(StreamWriter.handle(writer), Libyara.STREAM_FUNC, arena));
            rc = (int) yara.rulesSaveStream.invokeExact(rules, stream);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("yr_rules_save_stream could not be called", t);
        }
        if (rc != Libyara.ERROR_SUCCESS) {
            throw new YaraScanException("saving compiled rules failed: " + Libyara.errorName(rc), rc);
        }
        return writer.out.toByteArray();
    }

    /**
     * Loads rules saved by {@link #save}. Only load files you saved yourself: libyara's own documentation warns that
     * crafted compiled rules can crash it, and the checksum guards against damage, not against an attacker.
     *
     * @throws YaraScanException naming the file when it is not a Tollgate compiled-rules file, is damaged, or libyara
     *     refuses it ({@code ERROR_INVALID_FILE}, {@code ERROR_CORRUPT_FILE}, {@code ERROR_UNSUPPORTED_FILE_VERSION})
     */
    public static YaraRules load(Path file) throws YaraException, IOException {
        Objects.requireNonNull(file, "file");
        Libyara yara = Libyara.get();
        long size = Files.size(file);
        if (size > MAX_SAVED_SIZE) {
            throw new YaraScanException(file + ": compiled rules of " + size + " bytes exceed the limit", 0);
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < SAVED_HEADER || !Arrays.equals(bytes, 0, SAVED_MAGIC.length, SAVED_MAGIC, 0, 8)) {
            throw new YaraScanException(file + ": not a Tollgate compiled-rules file (bad header)", 0);
        }
        byte[] payload = Arrays.copyOfRange(bytes, SAVED_HEADER, bytes.length);
        if (!Arrays.equals(bytes, SAVED_MAGIC.length, SAVED_HEADER, sha256(payload), 0, 32)) {
            throw new YaraScanException(file + ": compiled rules are damaged (SHA-256 mismatch)", 0);
        }
        yara.acquire();
        boolean ok = false;
        try (Arena arena = Arena.ofConfined()) {
            StreamReader reader = new StreamReader(payload);
            MemorySegment stream = arena.allocate(Libyara.STREAM_SIZE, 8);
            stream.set(ADDRESS, 0, MemorySegment.NULL);
            stream.set(ADDRESS, 8, yara.upcall(StreamReader.handle(reader), Libyara.STREAM_FUNC, arena));
            stream.set(ADDRESS, 16, MemorySegment.NULL);
            MemorySegment out = arena.allocate(ADDRESS);
            int rc = (int) yara.rulesLoadStream.invokeExact(stream, out);
            if (rc != Libyara.ERROR_SUCCESS) {
                throw new YaraScanException(
                        file + ": libyara refused the compiled rules: " + Libyara.errorName(rc), rc);
            }
            YaraRules loaded = new YaraRules(yara, out.get(ADDRESS, 0), List.of());
            ok = true;
            return loaded;
        } catch (YaraException | Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("yr_rules_load_stream could not be called", t);
        } finally {
            if (!ok) {
                yara.release();
            }
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Frees the compiled rules ({@code yr_rules_destroy}) and this instance's reference on libyara. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            int rc = (int) yara.rulesDestroy.invokeExact(rules);
            assert rc == Libyara.ERROR_SUCCESS : "yr_rules_destroy returned " + rc;
        } catch (Throwable t) {
            throw new IllegalStateException("yr_rules_destroy failed", t);
        } finally {
            lifecycle.writeLock().unlock();
        }
        yara.release();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("these YARA rules are closed");
        }
    }

    /** Collects rule files and rule text, then compiles them in one libyara compiler. */
    public static final class Builder {

        private final List<Source> sources = new ArrayList<>();
        private final Set<String> namespaces = new HashSet<>();

        private Builder() {}

        /**
         * Adds a rule file (whatever its name), or every {@code .yar}/{@code .yara} file under a directory, in name
         * order. Each file becomes its own namespace, named after the file.
         *
         * @throws YaraCompileException when the path does not exist or a directory holds no rule files
         */
        public Builder addPath(Path path) throws YaraCompileException, IOException {
            Objects.requireNonNull(path, "path");
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(path, MAX_DIRECTORY_DEPTH)) {
                    files = walk.filter(Files::isRegularFile)
                            .filter(Builder::isRuleFile)
                            .sorted()
                            .toList();
                }
                if (files.isEmpty()) {
                    throw notCompiled(path, "no .yar or .yara files in this directory");
                }
                files.forEach(this::addFile);
            } else if (Files.isRegularFile(path)) {
                addFile(path);
            } else if (Files.exists(path)) {
                throw notCompiled(path, "not a regular file or directory");
            } else {
                throw notCompiled(path, "no such file or directory");
            }
            return this;
        }

        private static boolean isRuleFile(Path p) {
            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".yar") || name.endsWith(".yara");
        }

        private void addFile(Path file) {
            String name = file.getFileName().toString();
            // Two files of the same name in different directories must not share (and clash in) one namespace.
            String namespace = namespaces.add(name) ? name : file.toString();
            namespaces.add(namespace);
            sources.add(new Source(file.toString(), namespace, file, null));
        }

        /**
         * Adds rule text under {@code namespace} (also the name used in diagnostics). {@code include} in such text
         * resolves against the working directory.
         */
        public Builder addSource(String namespace, String text) {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(text, "text");
            if (text.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("rule text for " + namespace + " contains a NUL character");
            }
            namespaces.add(namespace);
            sources.add(new Source(namespace, namespace, null, text));
            return this;
        }

        /**
         * Compiles everything added. Compilation stops at the first source with errors.
         *
         * @throws YaraCompileException with the first error as {@code FILE:LINE: message}
         * @throws YaraUnavailableException when libyara cannot be loaded
         */
        public YaraRules compile() throws YaraException {
            if (sources.isEmpty()) {
                throw new IllegalStateException("no rules were added");
            }
            Libyara yara = Libyara.get();
            yara.acquire();
            boolean ok = false;
            try {
                YaraRules compiled = compileWith(yara);
                ok = true;
                return compiled;
            } finally {
                if (!ok) {
                    yara.release();
                }
            }
        }

        private YaraRules compileWith(Libyara yara) throws YaraException {
            Diagnostics diagnostics = new Diagnostics();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(ADDRESS);
                int rc = (int) yara.compilerCreate.invokeExact(out);
                if (rc != Libyara.ERROR_SUCCESS) {
                    throw new YaraScanException("yr_compiler_create failed: " + Libyara.errorName(rc), rc);
                }
                MemorySegment compiler = out.get(ADDRESS, 0);
                try {
                    MemorySegment callback =
                            yara.upcall(Diagnostics.handle(diagnostics), Libyara.COMPILER_CALLBACK, arena);
                    yara.compilerSetCallback.invokeExact(compiler, callback, MemorySegment.NULL);
                    for (Source source : sources) {
                        diagnostics.currentSource = source.name();
                        int errors = add(yara, compiler, source, arena, diagnostics);
                        if (errors > 0 || diagnostics.hasErrors()) {
                            throw diagnostics.failure();
                        }
                    }
                    rc = (int) yara.compilerGetRules.invokeExact(compiler, out);
                    if (rc != Libyara.ERROR_SUCCESS) {
                        throw new YaraScanException("yr_compiler_get_rules failed: " + Libyara.errorName(rc), rc);
                    }
                    return new YaraRules(yara, out.get(ADDRESS, 0), diagnostics.warnings());
                } finally {
                    yara.compilerDestroy.invokeExact(compiler);
                }
            } catch (YaraException | Error | RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("the libyara compiler could not be called", t);
            }
        }

        private static int add(Libyara yara, MemorySegment compiler, Source source, Arena arena, Diagnostics d)
                throws Throwable {
            MemorySegment namespace = arena.allocateFrom(source.namespace());
            if (source.text() != null) {
                return (int) yara.compilerAddString.invokeExact(compiler, arena.allocateFrom(source.text()), namespace);
            }
            MemorySegment fileName = arena.allocateFrom(source.name());
            int fd = (int) yara.open.invokeExact(fileName, O_RDONLY_CLOEXEC);
            if (fd < 0) {
                d.add(true, source.name(), 0, "cannot open the rule file");
                return 1;
            }
            try {
                return (int) yara.compilerAddFd.invokeExact(compiler, fd, namespace, fileName);
            } finally {
                int ignored = (int) yara.close.invokeExact(fd);
                assert ignored == 0 || ignored == -1;
            }
        }

        private static YaraCompileException notCompiled(Path path, String message) {
            YaraDiagnostic d = new YaraDiagnostic(true, path.toString(), 0, message);
            return new YaraCompileException(d.toString(), List.of(d));
        }
    }

    private record Source(String name, String namespace, Path file, String text) {}

    /** Receives the compiler's {@code YR_COMPILER_CALLBACK_FUNC} calls (compiler.h). */
    static final class Diagnostics {
        private final List<YaraDiagnostic> all = new ArrayList<>();
        String currentSource = "";

        static java.lang.invoke.MethodHandle handle(Diagnostics d) {
            return Libyara.findVirtual(
                    d,
                    "report",
                    MethodType.methodType(
                            void.class,
                            int.class,
                            MemorySegment.class,
                            int.class,
                            MemorySegment.class,
                            MemorySegment.class,
                            MemorySegment.class));
        }

        @SuppressWarnings("unused") // called from native code
        void report(
                int level,
                MemorySegment fileName,
                int line,
                MemorySegment rule,
                MemorySegment message,
                MemorySegment userData) {
            try {
                String file = Libyara.cString(fileName, 4096);
                add(
                        level == Libyara.YARA_ERROR_LEVEL_ERROR,
                        file.isEmpty() ? currentSource : file,
                        Math.max(0, line),
                        Libyara.cString(message, 4096));
            } catch (RuntimeException e) {
                // Never let an exception cross into libyara; keep what went wrong as a diagnostic.
                all.add(new YaraDiagnostic(true, currentSource, 0, "unreadable compiler message: " + e));
            }
        }

        void add(boolean error, String file, int line, String message) {
            all.add(new YaraDiagnostic(error, file, line, message));
        }

        boolean hasErrors() {
            return all.stream().anyMatch(YaraDiagnostic::error);
        }

        List<YaraDiagnostic> warnings() {
            return all.stream().filter(d -> !d.error()).toList();
        }

        YaraCompileException failure() {
            YaraDiagnostic first = all.stream()
                    .filter(YaraDiagnostic::error)
                    .findFirst()
                    .orElse(new YaraDiagnostic(true, currentSource, 0, "libyara reported errors without a message"));
            return new YaraCompileException(first.toString(), all);
        }
    }

    /** {@code YR_STREAM_WRITE_FUNC} (stream.h) appending to a byte array. */
    static final class StreamWriter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        static java.lang.invoke.MethodHandle handle(StreamWriter w) {
            return Libyara.findVirtual(
                    w,
                    "write",
                    MethodType.methodType(
                            long.class, MemorySegment.class, long.class, long.class, MemorySegment.class));
        }

        @SuppressWarnings("unused") // called from native code
        long write(MemorySegment ptr, long size, long count, MemorySegment userData) {
            try {
                long n = Math.multiplyExact(size, count);
                if (n == 0) {
                    return count;
                }
                out.writeBytes(ptr.reinterpret(n).toArray(JAVA_BYTE));
                return count;
            } catch (RuntimeException e) {
                return 0; // libyara reports ERROR_WRITING_FILE
            }
        }
    }

    /** {@code YR_STREAM_READ_FUNC} (stream.h) reading from a byte array. */
    static final class StreamReader {
        private final byte[] data;
        private int position;

        StreamReader(byte[] data) {
            this.data = data;
        }

        static java.lang.invoke.MethodHandle handle(StreamReader r) {
            return Libyara.findVirtual(
                    r,
                    "read",
                    MethodType.methodType(
                            long.class, MemorySegment.class, long.class, long.class, MemorySegment.class));
        }

        @SuppressWarnings("unused") // called from native code
        long read(MemorySegment ptr, long size, long count, MemorySegment userData) {
            try {
                if (size <= 0 || count <= 0) {
                    return 0;
                }
                long items = Math.min(count, (data.length - position) / size);
                int n = Math.toIntExact(items * size);
                MemorySegment.copy(MemorySegment.ofArray(data), position, ptr.reinterpret(n), 0, n);
                position += n;
                return items;
            } catch (RuntimeException e) {
                return 0; // libyara reports a short read as ERROR_COULD_NOT_READ_FILE or ERROR_CORRUPT_FILE
            }
        }
    }
}
