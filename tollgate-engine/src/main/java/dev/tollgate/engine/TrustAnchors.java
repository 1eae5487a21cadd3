package dev.tollgate.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The root certificates a signer's chain must end at: the JDK's, the configured ones, and {@code --trust} PEMs
 * (DESIGN.md, CLI contract). Immutable and thread-safe: build it once per scan and share it.
 *
 * <p>Configured roots come from the PEM file named by {@code $TOLLGATE_TRUST_ROOTS} when that variable is set, else from
 * {@code ${XDG_CONFIG_HOME:-$HOME/.config}/tollgate/trusted-roots.pem} when that file exists.
 */
public final class TrustAnchors {

    static final String ROOTS_VARIABLE = "TOLLGATE_TRUST_ROOTS";

    /** A sanity bound on one PEM file: trust stores are small, and this file is read whole. */
    private static final long MAX_PEM_BYTES = 16L << 20;

    private static final Pattern PEM_CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");

    private final List<X509Certificate> roots;
    private final Set<TrustAnchor> anchors;

    private TrustAnchors(List<X509Certificate> roots) {
        // Keep the first of identical certificates, so that a root given twice is one anchor.
        Map<String, X509Certificate> unique = new LinkedHashMap<>();
        for (X509Certificate root : roots) {
            Objects.requireNonNull(root, "root");
            unique.putIfAbsent(Certificates.thumbprint(root), root);
        }
        this.roots = List.copyOf(unique.values());
        this.anchors = this.roots.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toUnmodifiableSet());
    }

    /** Exactly these roots (tests, and callers that manage trust themselves). */
    public static TrustAnchors of(List<X509Certificate> roots) {
        return new TrustAnchors(roots);
    }

    /**
     * The JDK's trusted roots ({@code cacerts}), the configured roots, and every certificate in {@code extraPems}.
     *
     * @throws IOException naming the file, when a PEM file cannot be read, holds no certificate, or holds a certificate
     *     that does not parse; or when {@code $TOLLGATE_TRUST_ROOTS} names a missing file
     */
    public static TrustAnchors standard(List<Path> extraPems) throws IOException {
        return standard(extraPems, System.getenv(), true);
    }

    /** {@link #standard(List)} with the environment given, and the JDK's roots optional (for tests). */
    static TrustAnchors standard(List<Path> extraPems, Map<String, String> environment, boolean includeJdkRoots)
            throws IOException {
        List<X509Certificate> roots = new ArrayList<>();
        if (includeJdkRoots) {
            roots.addAll(jdkRoots());
        }
        Optional<Path> configured = configuredRootsFile(environment);
        if (configured.isPresent()) {
            roots.addAll(readPem(configured.get()));
        }
        for (Path pem : extraPems) {
            roots.addAll(readPem(pem));
        }
        return new TrustAnchors(roots);
    }

    /** The roots, without duplicates, in the order they were given. */
    public List<X509Certificate> roots() {
        return roots;
    }

    /** The roots as PKIX trust anchors. */
    Set<TrustAnchor> anchors() {
        return anchors;
    }

    /** The trust store file: {@code $TOLLGATE_TRUST_ROOTS} (which must exist), else the XDG file if it exists. */
    static Optional<Path> configuredRootsFile(Map<String, String> environment) throws IOException {
        String explicit = environment.get(ROOTS_VARIABLE);
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isRegularFile(path)) {
                throw new NoSuchFileException(
                        path.toString(), null, "named by $" + ROOTS_VARIABLE + " but not a readable file");
            }
            return Optional.of(path);
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path configHome;
        if (xdg != null && !xdg.isBlank()) {
            configHome = Path.of(xdg);
        } else {
            String home = environment.get("HOME");
            if (home == null || home.isBlank()) {
                return Optional.empty();
            }
            configHome = Path.of(home, ".config");
        }
        Path file = configHome.resolve("tollgate").resolve("trusted-roots.pem");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Every certificate in a PEM file (RFC 7468 §5); the file must hold at least one. */
    static List<X509Certificate> readPem(Path pem) throws IOException {
        long size = Files.size(pem);
        if (size > MAX_PEM_BYTES) {
            throw new IOException(pem + ": " + size + " bytes is too large for a PEM trust file (at most 16 MiB)");
        }
        String text = new String(Files.readAllBytes(pem), StandardCharsets.US_ASCII);
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = Certificates.factory();
        Matcher matcher = PEM_CERTIFICATE.matcher(text);
        int index = 0;
        while (matcher.find()) {
            index++;
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(matcher.group(1));
            } catch (IllegalArgumentException e) {
                throw new IOException(pem + ": certificate " + index + " is not valid Base64: " + e.getMessage(), e);
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new IOException(pem + ": certificate " + index + " does not parse: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException(pem + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return certificates;
    }

    /** The roots the JDK trusts (its {@code cacerts}, or the trust store its system properties name). */
    private static List<X509Certificate> jdkRoots() throws IOException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            List<X509Certificate> roots = new ArrayList<>();
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    roots.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            return roots;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the JDK's trusted root certificates: " + e.getMessage(), e);
        }
    }
}
