package dev.tollgate.engine;

import dev.tollgate.model.Hashes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** {@link FileDigests} through the JDK's providers. */
final class JdkDigests implements FileDigests {

    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest sha1 = digest("SHA-1");
    private final MessageDigest md5 = digest("MD5");

    @Override
    public void update(byte[] bytes, int offset, int length) {
        sha256.update(bytes, offset, length);
        sha1.update(bytes, offset, length);
        md5.update(bytes, offset, length);
    }

    @Override
    public Hashes finish() {
        HexFormat hex = HexFormat.of();
        return new Hashes(hex.formatHex(sha256.digest()), hex.formatHex(sha1.digest()), hex.formatHex(md5.digest()));
    }

    @Override
    public void close() {
        // nothing outside the heap
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest("SHA-256").digest(bytes));
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e); // every JDK must provide these three
        }
    }
}
