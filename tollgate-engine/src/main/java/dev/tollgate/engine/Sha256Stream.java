package dev.tollgate.engine;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A streaming SHA-256 by the code {@link FileDigests} would use: libcrypto when it can be used, else the JDK's
 * provider. For the scan cache's keys, which hash a whole file before deciding whether to vet it.
 */
final class Sha256Stream implements AutoCloseable {

    private final NativeDigest openssl; // null when the JDK's is used
    private final MessageDigest jdk;

    private Sha256Stream(NativeDigest openssl, MessageDigest jdk) {
        this.openssl = openssl;
        this.jdk = jdk;
    }

    static Sha256Stream create() {
        return FileDigests.useLibcrypto()
                ? new Sha256Stream(new NativeDigest(Libcrypto.binding(), 0, 32), null)
                : new Sha256Stream(null, JdkDigests.digest("SHA-256"));
    }

    void update(byte[] bytes, int offset, int length) {
        if (openssl != null) {
            openssl.update(bytes, offset, length);
        } else {
            jdk.update(bytes, offset, length);
        }
    }

    /** The lower-case hex digest of what was fed; the stream starts again. */
    String finishHex() {
        return openssl != null ? openssl.finishHex() : HexFormat.of().formatHex(jdk.digest());
    }

    @Override
    public void close() {
        if (openssl != null) {
            openssl.close();
        }
    }
}
