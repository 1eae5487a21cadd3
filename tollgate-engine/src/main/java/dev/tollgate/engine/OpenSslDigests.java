package dev.tollgate.engine;

import dev.tollgate.model.Hashes;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * {@link FileDigests} through OpenSSL's libcrypto ({@link Libcrypto}): one EVP context per algorithm, fed the caller's
 * array in place. The contexts are native memory, freed by {@link #close}.
 */
final class OpenSslDigests implements FileDigests {

    private static final int[] LENGTHS = {32, 20, 16};

    private final Libcrypto.Binding lib;
    private final MemorySegment[] contexts = new MemorySegment[Libcrypto.ALGORITHMS.length];
    private final byte[] out = new byte[64];
    private boolean closed;

    static OpenSslDigests create() {
        return new OpenSslDigests(Libcrypto.binding());
    }

    OpenSslDigests(Libcrypto.Binding lib) {
        this.lib = lib;
        try {
            for (int i = 0; i < contexts.length; i++) {
                MemorySegment context = (MemorySegment) lib.ctxNew().invokeExact();
                if (context.equals(MemorySegment.NULL)) {
                    throw new IllegalStateException("libcrypto could not allocate a digest context");
                }
                contexts[i] = context;
                start(i);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        } catch (Throwable e) {
            close();
            throw new IllegalStateException("libcrypto: " + e, e);
        }
    }

    /** SHA-256 of {@code bytes} in one call ({@code EVP_Digest}), with no context to allocate or free. */
    static String sha256Hex(byte[] bytes) {
        Libcrypto.Binding lib = Libcrypto.binding();
        byte[] out = new byte[LENGTHS[0]];
        try {
            int ok = (int) lib.oneShot()
                    .invokeExact(
                            MemorySegment.ofArray(bytes),
                            (long) bytes.length,
                            MemorySegment.ofArray(out),
                            MemorySegment.NULL,
                            lib.algorithms().get(0),
                            MemorySegment.NULL);
            check(ok, "EVP_Digest");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libcrypto: " + e, e);
        }
        return Libcrypto.hex(out, out.length);
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        if (closed) {
            throw new IllegalStateException("digests already closed");
        }
        Objects.checkFromIndexSize(offset, length, bytes.length);
        MemorySegment piece = MemorySegment.ofArray(bytes).asSlice(offset, length);
        try {
            for (MemorySegment context : contexts) {
                int ok = (int) lib.update().invokeExact(context, piece, (long) length);
                check(ok, "EVP_DigestUpdate");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libcrypto: " + e, e);
        }
    }

    @Override
    public Hashes finish() {
        if (closed) {
            throw new IllegalStateException("digests already closed");
        }
        String[] hex = new String[contexts.length];
        MemorySegment target = MemorySegment.ofArray(out);
        try {
            for (int i = 0; i < contexts.length; i++) {
                int ok = (int) lib.last().invokeExact(contexts[i], target, MemorySegment.NULL);
                check(ok, "EVP_DigestFinal_ex");
                hex[i] = Libcrypto.hex(out, LENGTHS[i]);
                start(i);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libcrypto: " + e, e);
        }
        return new Hashes(hex[0], hex[1], hex[2]);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (MemorySegment context : contexts) {
                if (context != null) {
                    lib.ctxFree().invokeExact(context);
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libcrypto: " + e, e);
        }
    }

    private void start(int i) throws Throwable {
        int ok = (int) lib.init().invokeExact(contexts[i], lib.algorithms().get(i), MemorySegment.NULL);
        check(ok, "EVP_DigestInit_ex2");
    }

    private static void check(int ok, String function) {
        if (ok != 1) {
            throw new IllegalStateException("libcrypto's " + function + " failed");
        }
    }
}
