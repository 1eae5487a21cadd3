package dev.tollgate.engine;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.tollgate.model.Hashes;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * SHA-256, SHA-1 and MD5 in one pass by Tollgate's own kernel ({@code tollgate-engine/src/main/c/file_digests.c},
 * built into {@code libtollgate-digests.so}). The kernel interleaves MD5's integer chain with SHA-1 and SHA-256 on
 * the processor's SHA extensions, so the three cost about what MD5 alone costs: 0.57 GB/s for all three against
 * 0.33 GB/s for OpenSSL's three functions one after the other. In the same pass it can count the bytes' values for
 * the entropy, in the integer units that MD5's chain leaves idle, and mark the dots and colons for the string scanner.
 * On an x86-64 processor without the SHA extensions the kernel computes MD5, the counts and the marks, and SHA-256 and
 * SHA-1 come from two {@link DigestStream}s fed the same pieces: the counts and the marks still cost no pass of their
 * own.
 *
 * <p>The library is the file the system property {@value #LIBRARY_PROPERTY} names (the {@code tollgate} launcher and
 * the build's tests set it). It is used only when it loads, has every function, and gives the published digests of
 * "abc", of FIPS 180-4's 448-bit message and of a million "a" fed in uneven pieces, in each way it can run on this
 * processor: that runs every path of the kernel, whole blocks, buffered pieces and both padding cases.
 */
@SuppressWarnings("restricted") // binding native functions is what this class is for
final class FusedDigests implements FileDigests {

    static final String LIBRARY_PROPERTY = "tollgate.digests.library";

    /** Digest bytes the kernel writes: SHA-256, then SHA-1, then MD5. */
    private static final int OUTPUT = 32 + 20 + 16;

    /** The digests of "abc": SHA-256, SHA-1 and MD5 concatenated, as the kernel writes them. */
    private static final String KNOWN_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            + "a9993e364706816aba3e25717850c26c9cd0d89d"
            + "900150983cd24fb0d6963f7d28e17f72";

    /** FIPS 180-4's 448-bit message, whose padding takes a second block; the MD5 is Python's hashlib's. */
    private static final String MESSAGE_448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

    private static final String KNOWN_448 = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            + "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
            + "8215ef0796a20bcaaae116d3876c664a";

    /** The digests of 1,000,000 "a", which go through the kernel's interleaved whole-block path. */
    private static final String KNOWN_MILLION_A = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
            + "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
            + "7707d6ae4e027c70eea2a935c2296f21";

    /**
     * The bound functions; {@code shaExtensions} when the processor has them, so that the kernel computes SHA-1 and
     * SHA-256 too (else MD5, the counts and the marks only, and SHA-1 and SHA-256 come from {@link DigestStream}s).
     */
    record Binding(
            MethodHandle init,
            MethodHandle update,
            MethodHandle finish,
            long contextSize,
            boolean shaExtensions,
            String library) {}

    private static final class Loaded {
        static final Binding BINDING;
        static final String PROBLEM;

        static {
            Binding binding = null;
            String problem;
            String library = System.getProperty(LIBRARY_PROPERTY);
            try {
                if (library == null || library.isBlank()) {
                    throw new IllegalStateException(
                            "no kernel library named (" + LIBRARY_PROPERTY + "; the tollgate launcher sets it)");
                }
                binding = bind(Path.of(library));
                problem = knownAnswerProblem(binding);
            } catch (RuntimeException e) {
                problem = e.getMessage();
            }
            BINDING = problem == null ? binding : null;
            PROBLEM = problem;
        }
    }

    private final Binding lib;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment context;
    private final byte[] out = new byte[OUTPUT];
    // Without the SHA extensions: SHA-256 and SHA-1 by libcrypto (or the JDK), fed the same pieces; else null.
    private final DigestStream sha256;
    private final DigestStream sha1;
    private boolean closed;

    /**
     * All three digests from the kernel where the processor has the SHA extensions, else MD5 from the kernel.
     *
     * @throws IllegalStateException when the kernel cannot be used, saying why
     */
    FusedDigests() {
        this(binding(), binding().shaExtensions());
    }

    /**
     * The kernel computing SHA-1 and SHA-256 too, or MD5 alone (tests run both wherever the processor can).
     *
     * @throws IllegalStateException when the kernel cannot be used, or {@code sha} is asked of a processor without
     *     the SHA extensions
     */
    FusedDigests(boolean sha) {
        this(binding(), sha);
    }

    private FusedDigests(Binding lib, boolean sha) {
        if (sha && !lib.shaExtensions()) {
            throw new IllegalStateException("this processor lacks the SHA extensions");
        }
        this.lib = lib;
        context = arena.allocate(lib.contextSize(), 16);
        NativeDigest.call(() -> {
            lib.init().invokeExact(context, sha ? 1 : 0);
            return null;
        });
        if (sha) {
            sha256 = null;
            sha1 = null;
            return;
        }
        boolean libcrypto = Libcrypto.available();
        DigestStream first = null;
        try {
            first = DigestStream.create(DigestStream.Algorithm.SHA_256, libcrypto);
            sha1 = DigestStream.create(DigestStream.Algorithm.SHA_1, libcrypto);
        } catch (RuntimeException e) {
            if (first != null) {
                first.close();
            }
            arena.close();
            throw e;
        }
        sha256 = first;
    }

    static boolean available() {
        return Loaded.BINDING != null;
    }

    static String unavailableReason() {
        return Optional.ofNullable(Loaded.PROBLEM).orElse("");
    }

    /** The library in use and what it computes, for {@code --version}. */
    static String library() {
        Binding lib = binding();
        return lib.shaExtensions()
                ? "Tollgate's SHA-extensions kernel (" + lib.library() + ")"
                : "Tollgate's kernel (" + lib.library() + ") for MD5, the entropy counts and the punctuation, this "
                        + "processor lacking the SHA extensions; SHA-256 and SHA-1 by "
                        + (Libcrypto.available() ? Libcrypto.version() : "the JDK");
    }

    /**
     * @throws IllegalStateException when the kernel cannot be used, saying why
     */
    static Binding binding() {
        if (Loaded.BINDING == null) {
            throw new IllegalStateException("the one-pass digest kernel cannot be used: " + Loaded.PROBLEM);
        }
        return Loaded.BINDING;
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        feed(bytes, offset, length, MemorySegment.NULL, MemorySegment.NULL, 0);
    }

    @Override
    public void update(byte[] bytes, int offset, int length, long[] histogram) {
        FileDigests.checkHistogram(histogram);
        feed(bytes, offset, length, MemorySegment.ofArray(histogram), MemorySegment.NULL, 0);
    }

    @Override
    public boolean marksPunctuation() {
        return true;
    }

    @Override
    public void update(byte[] bytes, int offset, int length, long[] histogram, long[] marks, long markBit) {
        FileDigests.checkHistogram(histogram);
        // The kernel writes the bits it sets: they must lie inside the array.
        if (markBit < 0 || markBit + length > (long) marks.length * Long.SIZE) {
            throw new IllegalArgumentException("marks for bits [" + markBit + ", " + (markBit + length)
                    + ") do not fit in " + marks.length + " words");
        }
        feed(bytes, offset, length, MemorySegment.ofArray(histogram), MemorySegment.ofArray(marks), markBit);
    }

    private void feed(
            byte[] bytes, int offset, int length, MemorySegment histogram, MemorySegment marks, long markBit) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        MemorySegment open = open();
        MemorySegment piece = MemorySegment.ofArray(bytes).asSlice(offset, length);
        NativeDigest.call(() -> {
            lib.update().invokeExact(open, piece, (long) length, histogram, marks, markBit);
            return null;
        });
        if (sha256 != null) {
            sha256.update(bytes, offset, length);
            sha1.update(bytes, offset, length);
        }
    }

    @Override
    public Hashes finish() {
        MemorySegment open = open();
        MemorySegment target = MemorySegment.ofArray(out);
        NativeDigest.call(() -> {
            lib.finish().invokeExact(open, target);
            return null;
        });
        HexFormat hex = HexFormat.of();
        String md5 = hex.formatHex(out, 52, OUTPUT);
        return sha256 == null
                ? new Hashes(hex.formatHex(out, 0, 32), hex.formatHex(out, 32, 52), md5)
                : new Hashes(sha256.finishHex(), sha1.finishHex(), md5);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
            if (sha256 != null) {
                sha256.close();
                sha1.close();
            }
        }
    }

    private MemorySegment open() {
        if (closed) {
            throw new IllegalStateException("digests already closed");
        }
        return context;
    }

    /** Binds the kernel at {@code library}; package-private so that a test can name one that is missing or wrong. */
    static Binding bind(Path library) {
        if (!Files.isRegularFile(library)) {
            throw new IllegalStateException(library + " not found (built by the tollgate-engine module with a C "
                    + "compiler; without one, the digests come from OpenSSL)");
        }
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(library + " cannot be loaded: " + e.getMessage(), e);
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle supported = handle(linker, lookup, "tg_digests_supported", FunctionDescriptor.of(JAVA_INT));
        MethodHandle size = handle(linker, lookup, "tg_digests_context_size", FunctionDescriptor.of(JAVA_LONG));
        // The kernel only reads the bytes it is given and writes its context, the histogram, the marks and the output,
        // and returns within a megabyte's hashing, so it may take the Java heap's arrays in place (no copy) while the
        // collector waits.
        Linker.Option inPlace = Linker.Option.critical(true);
        int capabilities = (int) NativeDigest.call(() -> (int) supported.invokeExact());
        if ((capabilities & 1) == 0) {
            throw new IllegalStateException("the one-pass kernel is built for x86-64 processors only");
        }
        Binding binding = new Binding(
                handle(linker, lookup, "tg_digests_init", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT)),
                handle(
                        linker,
                        lookup,
                        "tg_digests_update",
                        FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
                        inPlace),
                handle(linker, lookup, "tg_digests_final", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS), inPlace),
                (long) NativeDigest.call(() -> (long) size.invokeExact()),
                (capabilities & 2) != 0,
                library.toString());
        if (binding.contextSize() <= 0 || binding.contextSize() > 4096) {
            throw new IllegalStateException(library + " reports a context of " + binding.contextSize() + " bytes");
        }
        return binding;
    }

    /** Null when the kernel gives the published digests in each way it can run here, else what it gave. */
    private static String knownAnswerProblem(Binding binding) {
        String problem = binding.shaExtensions() ? knownAnswerProblem(binding, true) : null;
        return problem != null ? problem : knownAnswerProblem(binding, false);
    }

    private static String knownAnswerProblem(Binding binding, boolean sha) {
        byte[] abc = "xabc".getBytes(StandardCharsets.US_ASCII);
        byte[] millionA = new byte[1_000_000];
        Arrays.fill(millionA, (byte) 'a');
        try (FusedDigests digests = new FusedDigests(binding, sha)) {
            digests.update(abc, 1, 1);
            digests.update(abc, 2, 2);
            String got = concatenated(digests.finish());
            if (!got.equals(KNOWN_ABC)) {
                return "its digests of \"abc\" are " + got + ", not " + KNOWN_ABC;
            }
            byte[] message = MESSAGE_448.getBytes(StandardCharsets.US_ASCII);
            digests.update(message, 0, message.length);
            got = concatenated(digests.finish());
            if (!got.equals(KNOWN_448)) {
                return "its digests of the 448-bit message are " + got + ", not " + KNOWN_448;
            }
            // Pieces of 1, 63, 65 and 100,000 bytes: buffered, block-completing and whole-block paths.
            int[] pieces = {1, 63, 65, 100_000};
            int done = 0;
            for (int i = 0; done < millionA.length; i++) {
                int length = Math.min(pieces[i % pieces.length], millionA.length - done);
                digests.update(millionA, done, length);
                done += length;
            }
            got = concatenated(digests.finish());
            if (!got.equals(KNOWN_MILLION_A)) {
                return "its digests of a million \"a\" are " + got + ", not " + KNOWN_MILLION_A;
            }
        }
        return null;
    }

    private static String concatenated(Hashes hashes) {
        return hashes.sha256() + hashes.sha1() + hashes.md5();
    }

    private static MethodHandle handle(
            Linker linker, SymbolLookup lookup, String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = lookup.find(name)
                .orElseThrow(() -> new IllegalStateException("the digest kernel library has no " + name));
        return linker.downcallHandle(symbol, fd, options);
    }
}
