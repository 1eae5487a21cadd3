package dev.tollgate.engine;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

/**
 * The few functions of OpenSSL's libcrypto (3.x, Debian's {@code libssl3}) that {@link NativeDigest} calls, bound
 * through {@code java.lang.foreign}. Only digests: no bytes that libcrypto sees are parsed by it, so a hostile file
 * meets nothing there but the hash functions' arithmetic.
 *
 * <p>The library is loaded on first use, or the one the system property {@code tollgate.libcrypto} names (a soname or
 * a path; tests point it at none). It is used only when it loads, has every function, and gives the known answers for
 * "abc" of FIPS 180-4 (SHA-256, SHA-1) and RFC 1321 (MD5).
 */
@SuppressWarnings("restricted") // binding native functions is what this class is for
final class Libcrypto {

    static final String LIBRARY = "libcrypto.so.3";

    /** The digests of "abc", in the order of {@link DigestStream.Algorithm}. */
    private static final String[] KNOWN_ABC = {
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "a9993e364706816aba3e25717850c26c9cd0d89d",
        "900150983cd24fb0d6963f7d28e17f72"
    };

    /** The bound functions and the fetched algorithms, or why there are none. */
    record Binding(
            MethodHandle ctxNew,
            MethodHandle ctxFree,
            MethodHandle init,
            MethodHandle update,
            MethodHandle last,
            MethodHandle oneShot,
            List<MemorySegment> algorithms, // by DigestStream.Algorithm's ordinal
            String version) {}

    private static final class Loaded {
        static final Binding BINDING;
        static final String PROBLEM;

        static {
            Binding binding = null;
            String problem;
            try {
                binding = bind(System.getProperty("tollgate.libcrypto", LIBRARY));
                problem = knownAnswerProblem(binding);
            } catch (RuntimeException e) {
                problem = e.getMessage();
            }
            BINDING = problem == null ? binding : null;
            PROBLEM = problem;
        }
    }

    private Libcrypto() {}

    static boolean available() {
        return Loaded.BINDING != null;
    }

    /** Why libcrypto is not used; empty when it is. */
    static Optional<String> problem() {
        return Optional.ofNullable(Loaded.PROBLEM);
    }

    static String unavailableReason() {
        return problem().orElse("");
    }

    /** The loaded library's own version line, for example "OpenSSL 3.0.17 1 Jul 2025 (libcrypto.so.3)". */
    static String version() {
        return binding().version() + " (" + System.getProperty("tollgate.libcrypto", LIBRARY) + ")";
    }

    /**
     * @throws IllegalStateException when libcrypto cannot be used, saying why
     */
    static Binding binding() {
        if (Loaded.BINDING == null) {
            throw new IllegalStateException("OpenSSL's libcrypto cannot be used: " + Loaded.PROBLEM);
        }
        return Loaded.BINDING;
    }

    /** Binds {@code library} (a soname or a path); package-private so that a test can name one that is missing. */
    static Binding bind(String library) {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(library + " not found (Debian: apt-get install libssl3)", e);
        }
        Linker linker = Linker.nativeLinker();
        // The digest functions only read or write the buffers they are given and return quickly, so they may take
        // the Java heap's arrays in place (no copy) while the collector waits.
        Linker.Option inPlace = Linker.Option.critical(true);
        MethodHandle fetch =
                handle(linker, lookup, "EVP_MD_fetch", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        MethodHandle version = handle(linker, lookup, "OpenSSL_version", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        DigestStream.Algorithm[] wanted = DigestStream.Algorithm.values();
        MemorySegment[] algorithms = new MemorySegment[wanted.length];
        String line;
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < wanted.length; i++) {
                // Fetched once and kept for the life of the process.
                algorithms[i] = (MemorySegment) fetch.invokeExact(
                        MemorySegment.NULL, arena.allocateFrom(wanted[i].openssl), MemorySegment.NULL);
                if (algorithms[i].equals(MemorySegment.NULL)) {
                    throw new IllegalStateException(
                            library + " does not provide " + wanted[i].openssl + " (a FIPS-only configuration?)");
                }
            }
            MemorySegment text = (MemorySegment) version.invokeExact(0);
            line = text.equals(MemorySegment.NULL)
                    ? "OpenSSL"
                    : text.reinterpret(256).getString(0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(library + ": " + e, e);
        }
        return new Binding(
                handle(linker, lookup, "EVP_MD_CTX_new", FunctionDescriptor.of(ADDRESS)),
                handle(linker, lookup, "EVP_MD_CTX_free", FunctionDescriptor.ofVoid(ADDRESS)),
                handle(
                        linker,
                        lookup,
                        "EVP_DigestInit_ex2",
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
                handle(
                        linker,
                        lookup,
                        "EVP_DigestUpdate",
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG),
                        inPlace),
                handle(
                        linker,
                        lookup,
                        "EVP_DigestFinal_ex",
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
                        inPlace),
                // int EVP_Digest(const void *data, size_t count, unsigned char *md, unsigned int *size,
                //                const EVP_MD *type, ENGINE *impl)
                handle(
                        linker,
                        lookup,
                        "EVP_Digest",
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
                        inPlace),
                List.of(algorithms),
                line);
    }

    /** Null when libcrypto gives the published digests of "abc", else what it gave. */
    private static String knownAnswerProblem(Binding binding) {
        byte[] abc = {'x', 'a', 'b', 'c'};
        for (DigestStream.Algorithm algorithm : DigestStream.Algorithm.values()) {
            try (NativeDigest digest = new NativeDigest(binding, algorithm)) {
                digest.update(abc, 1, 1);
                digest.update(abc, 2, 2);
                String got = digest.finishHex();
                String known = KNOWN_ABC[algorithm.ordinal()];
                if (!got.equals(known)) {
                    return "its " + algorithm.openssl + " of \"abc\" is " + got + ", not " + known;
                }
            }
        }
        return null;
    }

    private static MethodHandle handle(
            Linker linker, SymbolLookup lookup, String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = lookup.find(name)
                .orElseThrow(
                        () -> new IllegalStateException("libcrypto has no " + name + " (Tollgate needs OpenSSL 3)"));
        return linker.downcallHandle(symbol, fd, options);
    }
}
