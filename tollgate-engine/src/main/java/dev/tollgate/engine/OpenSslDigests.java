package dev.tollgate.engine;

import dev.tollgate.model.Hashes;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/** {@link FileDigests} through OpenSSL's libcrypto: one {@link NativeDigest} per algorithm. */
final class OpenSslDigests implements FileDigests {

    private final NativeDigest sha256;
    private final NativeDigest sha1;
    private final NativeDigest md5;

    static OpenSslDigests create() {
        return new OpenSslDigests(Libcrypto.binding());
    }

    OpenSslDigests(Libcrypto.Binding lib) {
        NativeDigest first = new NativeDigest(lib, 0, 32);
        NativeDigest second = null;
        try {
            second = new NativeDigest(lib, 1, 20);
            md5 = new NativeDigest(lib, 2, 16);
        } catch (RuntimeException e) {
            first.close();
            if (second != null) {
                second.close();
            }
            throw e;
        }
        sha256 = first;
        sha1 = second;
    }

    /** SHA-256 of {@code bytes} in one call ({@code EVP_Digest}), with no context to allocate or free. */
    static String sha256Hex(byte[] bytes) {
        Libcrypto.Binding lib = Libcrypto.binding();
        byte[] out = new byte[32];
        int ok = (int) NativeDigest.call(() -> (int) lib.oneShot()
                .invokeExact(
                        MemorySegment.ofArray(bytes),
                        (long) bytes.length,
                        MemorySegment.ofArray(out),
                        MemorySegment.NULL,
                        lib.algorithms().get(0),
                        MemorySegment.NULL));
        NativeDigest.check(ok, "EVP_Digest");
        return HexFormat.of().formatHex(out);
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        sha256.update(bytes, offset, length);
        sha1.update(bytes, offset, length);
        md5.update(bytes, offset, length);
    }

    @Override
    public Hashes finish() {
        return new Hashes(sha256.finishHex(), sha1.finishHex(), md5.finishHex());
    }

    @Override
    public void close() {
        sha256.close();
        sha1.close();
        md5.close();
    }
}
