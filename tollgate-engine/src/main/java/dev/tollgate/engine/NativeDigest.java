package dev.tollgate.engine;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One algorithm's streaming digest in OpenSSL's libcrypto ({@link Libcrypto}): an EVP context, fed the caller's arrays
 * in place. Reused: {@link #finishHex} gives the digest of everything fed since the last one and starts again. The
 * context is native memory, freed by {@link #close}; a closed digest refuses work rather than touch freed memory.
 */
final class NativeDigest implements AutoCloseable {

    private final Libcrypto.Binding lib;
    private final MemorySegment algorithm;
    private final int length;
    private final byte[] out = new byte[64]; // EVP_MAX_MD_SIZE
    private MemorySegment context;

    NativeDigest(Libcrypto.Binding lib, DigestStream.Algorithm algorithm) {
        this.lib = lib;
        this.algorithm = lib.algorithms().get(algorithm.ordinal());
        this.length = algorithm.length;
        MemorySegment created =
                (MemorySegment) call(() -> (MemorySegment) lib.ctxNew().invokeExact());
        if (created.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("libcrypto could not allocate a digest context");
        }
        context = created;
        try {
            start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The lower-case hex digest of {@code bytes} in one call ({@code EVP_Digest}), with no context to keep. */
    static String oneShotHex(Libcrypto.Binding lib, DigestStream.Algorithm algorithm, byte[] bytes) {
        byte[] out = new byte[algorithm.length];
        MemorySegment md = lib.algorithms().get(algorithm.ordinal());
        int ok = (int) call(() -> (int) lib.oneShot()
                .invokeExact(
                        MemorySegment.ofArray(bytes),
                        (long) bytes.length,
                        MemorySegment.ofArray(out),
                        MemorySegment.NULL,
                        md,
                        MemorySegment.NULL));
        check(ok, "EVP_Digest");
        return HexFormat.of().formatHex(out);
    }

    void update(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        update(MemorySegment.ofArray(bytes).asSlice(offset, length));
    }

    /** Feeds the bytes of {@code piece}: a slice of an array, or native memory the caller owns (a direct buffer). */
    void update(MemorySegment piece) {
        MemorySegment open = open();
        long length = piece.byteSize();
        check((int) call(() -> (int) lib.update().invokeExact(open, piece, length)), "EVP_DigestUpdate");
    }

    String finishHex() {
        MemorySegment open = open();
        MemorySegment target = MemorySegment.ofArray(out);
        check((int) call(() -> (int) lib.last().invokeExact(open, target, MemorySegment.NULL)), "EVP_DigestFinal_ex");
        start();
        return HexFormat.of().formatHex(out, 0, length);
    }

    @Override
    public void close() {
        if (context != null) {
            MemorySegment freed = context;
            context = null;
            call(() -> {
                lib.ctxFree().invokeExact(freed);
                return null;
            });
        }
    }

    private void start() {
        MemorySegment open = open();
        check(
                (int) call(() -> (int) lib.init().invokeExact(open, algorithm, MemorySegment.NULL)),
                "EVP_DigestInit_ex2");
    }

    private MemorySegment open() {
        if (context == null) {
            throw new IllegalStateException("digest already closed");
        }
        return context;
    }

    static void check(int ok, String function) {
        if (ok != 1) {
            throw new IllegalStateException("libcrypto's " + function + " failed");
        }
    }

    /** A native call whose failures other than our own checks come back as {@link IllegalStateException}. */
    static Object call(NativeCall call) {
        try {
            return call.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libcrypto: " + e, e);
        }
    }

    @FunctionalInterface
    interface NativeCall {
        Object run() throws Throwable;
    }
}
