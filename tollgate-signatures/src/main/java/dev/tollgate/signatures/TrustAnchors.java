package dev.tollgate.signatures;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The root certificates a signer's chain must end at: the JDK's, the configured ones, and {@code --trust} PEMs
 * (docs/DESIGN.md, CLI contract). Immutable and thread-safe: build it once per scan and share it.
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

    // The roots and anchors, computed once; standard() loads the JDK's roots on a thread of their own meanwhile.
    private final FutureTask<Loaded> loaded;

    private record Loaded(List<X509Certificate> roots, Set<TrustAnchor> anchors) {

        static Loaded of(List<X509Certificate> roots) {
            // Keep the first of identical certificates, so that a root given twice is one anchor.
            Map<String, X509Certificate> unique = new LinkedHashMap<>();
            for (X509Certificate root : roots) {
                Objects.requireNonNull(root, "root");
                unique.putIfAbsent(Certificates.thumbprint(root), root);
            }
            List<X509Certificate> kept = List.copyOf(unique.values());
            return new Loaded(
                    kept, kept.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toUnmodifiableSet()));
        }
    }

    private TrustAnchors(FutureTask<Loaded> loaded) {
        this.loaded = loaded;
    }

    /** Exactly these roots (tests, and callers that manage trust themselves). */
    public static TrustAnchors of(List<X509Certificate> roots) {
        FutureTask<Loaded> task = new FutureTask<>(() -> Loaded.of(roots));
        task.run();
        return new TrustAnchors(task);
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
    public static TrustAnchors standard(List<Path> extraPems, Map<String, String> environment, boolean includeJdkRoots)
            throws IOException {
        List<X509Certificate> extra = new ArrayList<>();
        for (Path pem : extraPems) {
            extra.addAll(readPem(pem));
        }
        return standardWith(extra, environment, includeJdkRoots);
    }

    /**
     * The JDK's roots, the configured trust store, then {@code extra}: what {@link #standard(List)} trusts, with
     * certificates the caller already holds (a server's per-product anchors) instead of PEM files.
     *
     * @throws IOException when {@code $TOLLGATE_TRUST_ROOTS} names a missing or unreadable file
     */
    public static TrustAnchors standardWith(List<X509Certificate> extra) throws IOException {
        return standardWith(extra, System.getenv(), true);
    }

    private static TrustAnchors standardWith(
            List<X509Certificate> extra, Map<String, String> environment, boolean includeJdkRoots) throws IOException {
        List<X509Certificate> given = new ArrayList<>();
        Optional<Path> configured = configuredRootsFile(environment);
        if (configured.isPresent()) {
            given.addAll(readPem(configured.get()));
        }
        given.addAll(extra);
        if (!includeJdkRoots) {
            return of(given);
        }
        // Loading cacerts takes about 60 ms; it overlaps the start of the scan, which needs the anchors only for the
        // first signature it checks (or for the scan cache's key). The JDK's roots come first, as before.
        FutureTask<Loaded> task = new FutureTask<>(() -> {
            List<X509Certificate> roots = new ArrayList<>(jdkRoots());
            roots.addAll(given);
            return Loaded.of(roots);
        });
        Thread loader = new Thread(task, "tollgate-trust-roots");
        loader.setDaemon(true);
        loader.start();
        return new TrustAnchors(task);
    }

    /** The roots, without duplicates, in the order they were given. */
    public List<X509Certificate> roots() {
        return loaded().roots();
    }

    /** The roots' SHA-256 thumbprints (lower-case hex), sorted: what identifies this set of anchors. */
    public List<String> thumbprints() {
        return roots().stream().map(Certificates::thumbprint).sorted().toList();
    }

    /** The roots as PKIX trust anchors. */
    Set<TrustAnchor> anchors() {
        return loaded().anchors();
    }

    /**
     * The roots once loaded, waiting for the JDK's when they are still being read.
     *
     * @throws UncheckedIOException when the JDK's trusted roots could not be read
     */
    private Loaded loaded() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return loaded.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the roots are needed to finish; ask again, and restore the flag after
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException("cannot load the trusted root certificates: " + e.getCause(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
    public static List<X509Certificate> readPem(Path pem) throws IOException {
        long size = Files.size(pem);
        if (size > MAX_PEM_BYTES) {
            throw new IOException(pem + ": " + size + " bytes is too large for a PEM trust file (at most 16 MiB)");
        }
        return parsePem(pem.toString(), new String(Files.readAllBytes(pem), StandardCharsets.US_ASCII));
    }

    /**
     * Every certificate in PEM text (RFC 7468 §5) that came from {@code source} (named in errors); the text must hold
     * at least one. The caller bounds the text's size.
     */
    public static List<X509Certificate> parsePem(String source, String text) throws IOException {
        String pem = source;
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
