package dev.tollgate.engine;

import dev.tollgate.model.Hashes;

/**
 * The SHA-256, SHA-1 and MD5 of one stream of bytes, fed in pieces: three {@link DigestStream}s. Reused:
 * {@link #finish} gives the digests of everything fed since the last {@code finish} and starts again.
 */
final class FileDigests implements AutoCloseable {

    private final DigestStream sha256;
    private final DigestStream sha1;
    private final DigestStream md5;

    private FileDigests(boolean libcrypto) {
        DigestStream first = DigestStream.create(DigestStream.Algorithm.SHA_256, libcrypto);
        DigestStream second = null;
        try {
            second = DigestStream.create(DigestStream.Algorithm.SHA_1, libcrypto);
            md5 = DigestStream.create(DigestStream.Algorithm.MD5, libcrypto);
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

    /**
     * Digests by the implementation {@value DigestStream#PROPERTY} names.
     *
     * @throws IllegalStateException when {@code openssl} is named and libcrypto cannot be used
     */
    static FileDigests create() {
        return new FileDigests(DigestStream.useLibcrypto());
    }

    /** Digests by libcrypto or by the JDK, as asked (tests compare the two). */
    static FileDigests using(boolean libcrypto) {
        return new FileDigests(libcrypto);
    }

    void update(byte[] bytes, int offset, int length) {
        sha256.update(bytes, offset, length);
        sha1.update(bytes, offset, length);
        md5.update(bytes, offset, length);
    }

    Hashes finish() {
        return new Hashes(sha256.finishHex(), sha1.finishHex(), md5.finishHex());
    }

    /** Frees what the streams hold outside the Java heap; they are unusable afterwards. */
    @Override
    public void close() {
        sha256.close();
        sha1.close();
        md5.close();
    }
}
