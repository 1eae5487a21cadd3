package dev.tollgate.engine;

import dev.tollgate.model.Hashes;

/**
 * The SHA-256, SHA-1 and MD5 of one stream of bytes, fed in pieces. An instance is reused: {@link #finish} gives the
 * digests of everything fed since the last {@code finish} and starts again.
 *
 * <p>Two implementations compute the same values: OpenSSL's libcrypto, called in place, and the JDK's providers.
 * {@link #create} prefers libcrypto, whose code is machine code from the first byte; the JDK's reach the same speed
 * only after the JIT has compiled their callers, and until then a scan hashes its first tens of megabytes in
 * interpreted and C1 code and spends compile time on digest bodies it will not use.
 */
sealed interface FileDigests extends AutoCloseable permits OpenSslDigests, JdkDigests {

    /** The system property that picks the implementation: {@code openssl}, {@code jdk} or {@code auto} (default). */
    String PROPERTY = "tollgate.digests";

    void update(byte[] bytes, int offset, int length);

    Hashes finish();

    /** Frees what the instance holds outside the Java heap; it is unusable afterwards. */
    @Override
    void close();

    /**
     * A new instance of the implementation that {@value #PROPERTY} names; {@code auto} takes libcrypto when it loaded
     * and passed its known-answer check, else the JDK.
     *
     * @throws IllegalStateException when {@code openssl} is named and libcrypto cannot be used
     */
    static FileDigests create() {
        return useLibcrypto() ? OpenSslDigests.create() : new JdkDigests();
    }

    /**
     * The lower-case hex SHA-256 of {@code bytes}, by the implementation {@link #create} would use: the scan takes
     * one per file for its cache entry's name, and through the JDK each one went through the provider lookup and, until
     * C2 had compiled it, the interpreted SHA-256 body.
     */
    static String sha256Hex(byte[] bytes) {
        return useLibcrypto() ? OpenSslDigests.sha256Hex(bytes) : JdkDigests.sha256Hex(bytes);
    }

    /**
     * Whether {@value #PROPERTY} lets digests use libcrypto: {@code openssl}, or {@code auto} when it can be used.
     *
     * @throws IllegalStateException when {@code openssl} is named and libcrypto cannot be used, or the property holds
     *     something else than the three names
     */
    static boolean useLibcrypto() {
        String choice = System.getProperty(PROPERTY, "auto");
        return switch (choice) {
            case "jdk" -> false;
            case "openssl" -> {
                Libcrypto.binding(); // throws, saying why, when it cannot be used
                yield true;
            }
            case "auto" -> Libcrypto.available();
            default ->
                throw new IllegalStateException(PROPERTY + " must be openssl, jdk or auto, not \""
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
}
