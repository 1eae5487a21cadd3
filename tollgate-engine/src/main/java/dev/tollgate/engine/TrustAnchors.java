package dev.tollgate.engine;

import java.security.cert.X509Certificate;
import java.util.List;

/** The root certificates a signer's chain must end at: the JDK's, the configured ones, and {@code --trust} PEMs. */
public final class TrustAnchors {

    private final List<X509Certificate> roots;

    private TrustAnchors(List<X509Certificate> roots) {
        this.roots = List.copyOf(roots);
    }

    /** Exactly these roots. */
    public static TrustAnchors of(List<X509Certificate> roots) {
        return new TrustAnchors(roots);
    }

    public List<X509Certificate> roots() {
        return roots;
    }
}
