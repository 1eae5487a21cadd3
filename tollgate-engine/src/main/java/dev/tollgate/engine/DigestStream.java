package dev.tollgate.engine;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One algorithm's digest of a stream of bytes, fed in pieces, by OpenSSL's libcrypto called in place
 * ({@link NativeDigest}) or by the JDK's provider. Reused: {@link #finishHex} gives the digest of everything fed since
 * the last one and starts again.
 *
 * <p>{@link #create} prefers libcrypto, whose code is machine code from the first byte; the JDK's reaches the same
 * speed only after the JIT has compiled its callers, and until then a scan hashes its first tens of megabytes in
 * interpreted and C1 code and spends compile time on digest bodies it will not use. The system property
 * {@value #PROPERTY} picks: {@code openssl}, {@code jdk} or {@code auto} (default: libcrypto when it loaded and passed
 * its known-answer check); {@code fused}, which names the file digests' one-pass kernel ({@link FileDigests}), leaves
 * these streams as {@code auto} does.
 */
final class DigestStream implements AutoCloseable {

    static final String PROPERTY = "tollgate.digests";

    /** The algorithms, with OpenSSL's name, the JDK's name and the digest's length in bytes. */
    enum Algorithm {
        SHA_256("SHA256", "SHA-256", 32),
        SHA_1("SHA1", "SHA-1", 20),
        MD5("MD5", "MD5", 16);

        final String openssl;
        final String jdk;
        final int length;

        Algorithm(String openssl, String jdk, int length) {
            this.openssl = openssl;
            this.jdk = jdk;
            this.length = length;
        }
    }

    private final NativeDigest openssl; // null when the JDK's is used
    private final MessageDigest jdk;

    private DigestStream(NativeDigest openssl, MessageDigest jdk) {
        this.openssl = openssl;
        this.jdk = jdk;
    }

    /** A stream by the implementation {@value #PROPERTY} names. */
    static DigestStream create(Algorithm algorithm) {
        return create(algorithm, useLibcrypto());
    }

    /** A stream by libcrypto or by the JDK, as asked (tests compare the two). */
    static DigestStream create(Algorithm algorithm, boolean libcrypto) {
        return libcrypto
                ? new DigestStream(new NativeDigest(Libcrypto.binding(), algorithm), null)
                : new DigestStream(null, jdk(algorithm));
    }

    /** The lower-case hex digest of {@code bytes} in one call, by the implementation {@value #PROPERTY} names. */
    static String hex(Algorithm algorithm, byte[] bytes) {
        return hex(algorithm, bytes, useLibcrypto());
    }

    static String hex(Algorithm algorithm, byte[] bytes, boolean libcrypto) {
        return libcrypto
                ? NativeDigest.oneShotHex(Libcrypto.binding(), algorithm, bytes)
                : HexFormat.of().formatHex(jdk(algorithm).digest(bytes));
    }

    void update(byte[] bytes, int offset, int length) {
        if (openssl != null) {
            openssl.update(bytes, offset, length);
        } else {
            jdk.update(bytes, offset, length);
        }
    }

    /** Feeds the buffer's remaining bytes (a direct buffer goes to libcrypto without a copy) and consumes them. */
    void update(ByteBuffer buffer) {
        if (openssl != null) {
            openssl.update(MemorySegment.ofBuffer(buffer));
            buffer.position(buffer.limit());
        } else {
            jdk.update(buffer);
        }
    }

    /** The lower-case hex digest of what was fed; the stream starts again. */
    String finishHex() {
        return openssl != null ? openssl.finishHex() : HexFormat.of().formatHex(jdk.digest());
    }

    /** Frees libcrypto's context; a closed libcrypto stream refuses work rather than touch freed memory. */
    @Override
    public void close() {
        if (openssl != null) {
            openssl.close();
        }
    }

    /**
     * Whether {@value #PROPERTY} lets digests use libcrypto: {@code openssl}, or {@code auto} or {@code fused} when it
     * can be used.
     *
     * @throws IllegalStateException when {@code openssl} is named and libcrypto cannot be used, or the property holds
     *     something else than the four names
     */
    static boolean useLibcrypto() {
        String choice = System.getProperty(PROPERTY, "auto");
        return switch (choice) {
            case "jdk" -> false;
            case "openssl" -> {
                Libcrypto.binding(); // throws, saying why, when it cannot be used
                yield true;
            }
            case "auto", "fused" -> Libcrypto.available(); // fused: the file digests' choice (FileDigests)
            default ->
                throw new IllegalStateException(PROPERTY + " must be fused, openssl, jdk or auto, not \""
                        + choice.replaceAll("\\p{Cntrl}", "?") + "\"");
        };
    }

    /** Which implementation {@link #create} gives, in words for {@code --version}. */
    static String describe() {
        return switch (System.getProperty(PROPERTY, "auto")) {
            case "jdk" -> "JDK";
            case "openssl" ->
                Libcrypto.available()
                        ? Libcrypto.version()
                        : "none: OpenSSL was asked for and cannot be used (" + Libcrypto.unavailableReason() + ")";
            default -> Libcrypto.available() ? Libcrypto.version() : "JDK (" + Libcrypto.unavailableReason() + ")";
        };
    }

    private static MessageDigest jdk(Algorithm algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.jdk);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm.jdk, e); // every JDK provides these three
        }
    }
}
