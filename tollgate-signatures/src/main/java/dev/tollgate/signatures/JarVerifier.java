package dev.tollgate.signatures;

import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.Hashes;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.util.Store;

/**
 * Verifies JAR signing (JDK "JAR File Specification", "Signed JAR File"): each signature block
 * ({@code META-INF/X.RSA|DSA|EC}, a detached PKCS#7 over {@code META-INF/X.SF}), the .SF's digest of the manifest (or
 * of each manifest section), and the manifest's digest of every entry against the entry's content. Entries that no
 * signature covers are {@code jar.unsigned-entry} findings (medium). Entry digests come from the hashes the scan
 * already computed, so SHA-256 and SHA-1 manifests are checked; other algorithms are reported as not checked.
 */
public final class JarVerifier implements Inspector<JarVerifier.Evidence> {

    /**
     * Bouncy Castle's provider maps a SignerInfo's digest and key algorithms to a signature algorithm (SHA256withDSA
     * for the DSA-2048 block Bouncy Castle signs its own jars with); the JDK's provider picked RawDSA, which only takes
     * SHA-1-sized input, and called a valid signature malformed. Built on first use (in a holder class): setting it up
     * costs a tenth of a second, and most scans meet no signed JAR.
     */
    private static final class BouncyCastle {
        static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    }

    private static final int MAX_LISTED = 50;

    /**
     * What a scan collected from a zip that may be a signed JAR: each entry's hashes, the signature files, and digests
     * in the algorithms the manifest names (JDK 25's jarsigner uses SHA-384), computed while the entry is at hand. The
     * manifest comes first in a JAR; when it does not, entries seen before it are checked with the scan's hashes only.
     */
    public static final class Evidence {
        private final Map<String, Hashes> entries = new LinkedHashMap<>();
        private final Map<String, Map<String, byte[]>> extraDigests = new LinkedHashMap<>();
        private final Map<String, byte[]> metaInf = new LinkedHashMap<>();
        private final Set<String> algorithms = new LinkedHashSet<>();

        public void entry(String storedName, Hashes hashes, dev.tollgate.formats.ByteView content) {
            entries.put(storedName, hashes);
            String upper = storedName.toUpperCase(Locale.ROOT);
            if (upper.startsWith("META-INF/") && content.size() <= (1 << 20) && isSignatureRelated(upper)) {
                metaInf.put(upper, content.toArray());
                if (upper.equals("META-INF/MANIFEST.MF")) {
                    Manifest.parse(content.toArray()).sections().values().forEach(section -> section.keySet().stream()
                            .filter(k -> k.endsWith("-DIGEST"))
                            .map(k -> k.substring(0, k.length() - "-DIGEST".length()))
                            .filter(a ->
                                    !a.equals("SHA-256") && !a.equals("SHA1") && !a.equals("SHA-1") && !a.equals("MD5"))
                            .limit(4)
                            .forEach(algorithms::add));
                }
                return;
            }
            for (String algorithm : algorithms) {
                try {
                    MessageDigest md = MessageDigest.getInstance(algorithm);
                    md.update(content.segment().asByteBuffer());
                    extraDigests
                            .computeIfAbsent(storedName, k -> new LinkedHashMap<>())
                            .put(algorithm, md.digest());
                } catch (GeneralSecurityException e) {
                    // An algorithm the JDK does not know: the entry is reported as not checked.
                }
            }
        }

        public boolean signed() {
            return metaInf.containsKey("META-INF/MANIFEST.MF")
                    && metaInf.keySet().stream().anyMatch(n -> n.endsWith(".SF"));
        }
    }

    private final TrustAnchors trust;
    private final Clock clock;

    public JarVerifier(TrustAnchors trust, Clock clock) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "jar";
    }

    /** {@link #verify}: the JAR's signatures and the findings about them. */
    @Override
    public PeInspection inspect(String path, Evidence evidence) {
        return verify(path, evidence);
    }

    /** The JAR's signatures (kind {@code jar}) and the findings about them. */
    public PeInspection verify(String path, Evidence evidence) {
        List<SignatureInfo> signatures = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        Manifest manifest = Manifest.parse(evidence.metaInf.get("META-INF/MANIFEST.MF"));
        Set<String> covered = new LinkedHashSet<>();
        for (Map.Entry<String, byte[]> file : evidence.metaInf.entrySet()) {
            if (!file.getKey().endsWith(".SF")) {
                continue;
            }
            String base = file.getKey().substring(0, file.getKey().length() - 3);
            Optional<byte[]> block = blockFor(evidence, base);
            signatures.add(signature(file.getValue(), block, manifest, evidence, covered));
        }
        List<Object> unsigned = new ArrayList<>();
        for (String entry : evidence.entries.keySet()) {
            String upper = entry.toUpperCase(Locale.ROOT);
            if (entry.endsWith("/") || (upper.startsWith("META-INF/") && isSignatureRelated(upper))) {
                continue;
            }
            if (!covered.contains(entry)) {
                unsigned.add(entry);
            }
        }
        if (!unsigned.isEmpty()) {
            findings.add(Finding.of(
                    FindingCode.JAR_UNSIGNED_ENTRY,
                    path,
                    unsigned.size() + " entr" + (unsigned.size() == 1 ? "y is" : "ies are")
                            + " not covered by the JAR signature, first: " + unsigned.getFirst(),
                    Map.of(
                            "count",
                            unsigned.size(),
                            "entries",
                            unsigned.subList(0, Math.min(MAX_LISTED, unsigned.size())))));
        }
        SignatureFindings.add(path, signatures, findings);
        return new PeInspection(Optional.empty(), signatures, findings);
    }

    private static Optional<byte[]> blockFor(Evidence evidence, String base) {
        for (String ext : new String[] {".RSA", ".DSA", ".EC"}) {
            byte[] block = evidence.metaInf.get(base + ext);
            if (block != null) {
                return Optional.of(block);
            }
        }
        return Optional.empty();
    }

    private SignatureInfo signature(
            byte[] sfBytes, Optional<byte[]> block, Manifest manifest, Evidence evidence, Set<String> covered) {
        List<String> problems = new ArrayList<>();
        if (block.isEmpty()) {
            return malformed("no signature block (.RSA, .DSA or .EC) for the signature file");
        }
        X509Certificate signer;
        String digestAlgorithm;
        List<X509Certificate> bag = new ArrayList<>();
        try {
            CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(sfBytes), block.get());
            SignerInformation info =
                    signed.getSignerInfos().getSigners().iterator().next();
            @SuppressWarnings("unchecked")
            Store<X509CertificateHolder> store = signed.getCertificates();
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (X509CertificateHolder holder : store.getMatches(null)) {
                bag.add(converter.getCertificate(holder));
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = store.getMatches(info.getSID());
            if (matches.isEmpty()) {
                return malformed("the signer's certificate is not in the signature block");
            }
            signer = converter.getCertificate(matches.iterator().next());
            digestAlgorithm = digestName(info.getDigestAlgOID());
            if (!info.verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(BouncyCastle.PROVIDER)
                    .build(signer.getPublicKey()))) {
                return malformed("the signature block's signature over the .SF file does not verify");
            }
        } catch (Exception e) {
            // Bouncy Castle reports malformed blocks with a range of checked and unchecked exceptions.
            return malformed("the signature block does not parse or verify: " + e.getMessage());
        }
        // The JDK ignores a signature whose .SF or manifest it cannot read, and loads the entries unsigned.
        Optional<String> unreadable = Manifest.jdkProblem(sfBytes)
                .map(p -> "the signature file " + p)
                .or(() -> Manifest.jdkProblem(manifest.raw()).map(p -> "the manifest " + p));
        if (unreadable.isPresent()) {
            return malformed(unreadable.get() + ", so the JDK ignores this signature");
        }
        SignatureStatus status = SignatureStatus.VALID;
        Manifest sf = Manifest.parse(sfBytes);
        boolean wholeManifest = sf.main().entrySet().stream()
                .filter(a -> a.getKey().endsWith("-DIGEST-MANIFEST"))
                .anyMatch(a -> digestMatches(a.getKey(), a.getValue(), manifest.raw()));
        for (Map.Entry<String, Map<String, String>> section : sf.sections().entrySet()) {
            String name = section.getKey();
            boolean ok = wholeManifest
                    || section.getValue().entrySet().stream()
                            .filter(a -> a.getKey().endsWith("-DIGEST"))
                            .anyMatch(a -> manifest.rawSection(name)
                                    .map(raw -> digestMatches(a.getKey(), a.getValue(), raw))
                                    .orElse(false));
            if (!ok) {
                status = SignatureStatus.DIGEST_MISMATCH;
                problems.add("the .SF digest of the manifest section for " + name + " does not match");
                continue;
            }
            Hashes hashes = evidence.entries.get(name);
            if (hashes == null) {
                continue; // A signed entry that was removed: the remaining ones still verify (as the JDK does).
            }
            Map<String, String> attributes = manifest.sections().getOrDefault(name, Map.of());
            if (onlyWeakDigests(attributes)) {
                problems.add("entry " + name + " has only SHA-1 or MD5 digests, which the JDK treats as unsigned");
                continue;
            }
            Optional<Boolean> entryOk =
                    entryDigest(attributes, hashes, evidence.extraDigests.getOrDefault(name, Map.of()));
            if (entryOk.isEmpty()) {
                problems.add("entry " + name + " uses a digest algorithm Tollgate does not check");
            } else if (!entryOk.get()) {
                status = SignatureStatus.DIGEST_MISMATCH;
                problems.add("entry " + name + " does not match its manifest digest");
            } else {
                covered.add(name);
            }
        }
        Optional<X509Certificate> root = Optional.empty();
        if (status == SignatureStatus.VALID) {
            try {
                root = Optional.of(chain(signer, bag));
            } catch (UntrustedException e) {
                status = SignatureStatus.UNTRUSTED;
                problems.add(e.getMessage());
            }
        }
        return new SignatureInfo(
                "jar",
                status,
                Certificates.subject(signer),
                Certificates.issuer(signer),
                Certificates.serial(signer),
                Certificates.thumbprint(signer),
                digestAlgorithm,
                Optional.empty(),
                Optional.empty(),
                0,
                problems,
                Certificates.thumbprintSha1(signer),
                root.map(Certificates::thumbprint).orElse(""));
    }

    /**
     * Whether the entry's manifest digests are all SHA-1 or MD5: the JDK (jdk.jar.disabledAlgorithms since JDK 17)
     * loads such an entry as unsigned, so it is not covered here either, whatever the digest says.
     */
    private static boolean onlyWeakDigests(Map<String, String> attributes) {
        List<String> algorithms = attributes.keySet().stream()
                .filter(k -> k.endsWith("-DIGEST"))
                .map(k -> k.substring(0, k.length() - "-DIGEST".length()))
                .toList();
        return !algorithms.isEmpty()
                && algorithms.stream().allMatch(a -> a.equals("SHA1") || a.equals("SHA-1") || a.equals("MD5"));
    }

    /** The manifest's digest of an entry against the scan's hashes: empty when no checkable algorithm is named. */
    private static Optional<Boolean> entryDigest(
            Map<String, String> attributes, Hashes hashes, Map<String, byte[]> extraDigests) {
        Optional<Boolean> result = Optional.empty();
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            if (!a.getKey().endsWith("-DIGEST")) {
                continue;
            }
            String algorithm = a.getKey().substring(0, a.getKey().length() - "-DIGEST".length());
            byte[] actual =
                    switch (algorithm) {
                        case "SHA-256" -> HexFormat.of().parseHex(hashes.sha256());
                        case "SHA1", "SHA-1" -> HexFormat.of().parseHex(hashes.sha1());
                        case "MD5" -> HexFormat.of().parseHex(hashes.md5());
                        default -> extraDigests.get(algorithm);
                    };
            if (actual == null) {
                continue;
            }
            if (!MessageDigest.isEqual(decode(a.getValue()), actual)) {
                return Optional.of(false);
            }
            result = Optional.of(true);
        }
        return result;
    }

    private static boolean digestMatches(String attribute, String base64, byte[] data) {
        String algorithm = attribute.substring(0, attribute.indexOf("-DIGEST"));
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm.equals("SHA1") ? "SHA-1" : algorithm);
            return MessageDigest.isEqual(md.digest(data), decode(base64));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** Why a signer is not trusted. */
    private static final class UntrustedException extends Exception {
        private static final long serialVersionUID = 1L;

        UntrustedException(String message) {
            super(message);
        }
    }

    /** The trust anchor that the signer's chain leads to. */
    private X509Certificate chain(X509Certificate signer, List<X509Certificate> bag) throws UntrustedException {
        if (trust.anchors().isEmpty()) {
            throw new UntrustedException("no trust anchors are configured");
        }
        try {
            X509CertSelector selector = new X509CertSelector();
            selector.setCertificate(signer);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(trust.anchors(), selector);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(bag)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult)
                    CertPathBuilder.getInstance("PKIX").build(parameters);
            return result.getTrustAnchor().getTrustedCert();
        } catch (GeneralSecurityException e) {
            throw new UntrustedException("signer certificate (" + Certificates.subject(signer)
                    + ") does not chain to a trust anchor: " + e.getMessage());
        }
    }

    private static SignatureInfo malformed(String problem) {
        return SignatureInfo.malformed("jar", "", 0, problem);
    }

    private static String digestName(String oid) {
        return switch (oid) {
            case "2.16.840.1.101.3.4.2.1" -> "SHA-256";
            case "2.16.840.1.101.3.4.2.2" -> "SHA-384";
            case "2.16.840.1.101.3.4.2.3" -> "SHA-512";
            case "1.3.14.3.2.26" -> "SHA-1";
            default -> oid;
        };
    }

    private static boolean isSignatureRelated(String upperName) {
        String file = upperName.substring("META-INF/".length());
        return !file.contains("/")
                && (file.equals("MANIFEST.MF")
                        || file.endsWith(".SF")
                        || file.endsWith(".RSA")
                        || file.endsWith(".DSA")
                        || file.endsWith(".EC")
                        || file.startsWith("SIG-"));
    }

    /**
     * A manifest or signature file: the main attributes and the named sections, attribute names upper-cased, with each
     * named section's raw bytes (continuation lines and the blank line that ends it included, as the .SF digests them).
     */
    record Manifest(
            byte[] raw,
            Map<String, String> main,
            Map<String, Map<String, String>> sections,
            Map<String, byte[]> rawSections) {

        Optional<byte[]> rawSection(String name) {
            return Optional.ofNullable(rawSections.get(name));
        }

        static Manifest parse(byte[] bytes) {
            Map<String, String> main = new LinkedHashMap<>();
            Map<String, Map<String, String>> sections = new LinkedHashMap<>();
            Map<String, byte[]> rawSections = new LinkedHashMap<>();
            List<int[]> lines = lines(bytes);
            // java.util.jar.Manifest drops a last line without a line break and, when that line continues a header,
            // the header too (it peeks at the continuation, then meets the end).
            int complete = lines.isEmpty() ? 0 : lines.getLast()[2];
            boolean danglingContinuation = complete < bytes.length && bytes[complete] == ' ';
            Map<String, String> current = main;
            int sectionStart = 0;
            String sectionName = null;
            String pendingKey = null;
            StringBuilder pendingValue = new StringBuilder();
            for (int[] line : lines) {
                String text = new String(bytes, line[0], line[1] - line[0], StandardCharsets.UTF_8);
                if (text.startsWith(" ")) {
                    pendingValue.append(text.substring(1));
                    continue;
                }
                if (pendingKey != null) {
                    // A repeated attribute takes its last value, as java.util.jar.Attributes does (what the JDK
                    // checks).
                    current.put(pendingKey, pendingValue.toString());
                    if (pendingKey.equals("NAME") && current != main && sectionName == null) {
                        sectionName = pendingValue.toString();
                    }
                    pendingKey = null;
                }
                if (text.isEmpty()) {
                    if (sectionName != null) {
                        byte[] raw = java.util.Arrays.copyOfRange(bytes, sectionStart, line[2]);
                        rawSections.put(sectionName, raw);
                        sections.put(sectionName, current);
                    }
                    current = new LinkedHashMap<>();
                    sectionName = null;
                    sectionStart = line[2];
                    continue;
                }
                int colon = text.indexOf(": ");
                if (colon > 0) {
                    pendingKey = text.substring(0, colon).toUpperCase(Locale.ROOT);
                    pendingValue = new StringBuilder(text.substring(colon + 2));
                }
            }
            if (pendingKey != null && !danglingContinuation) {
                current.put(pendingKey, pendingValue.toString());
                if (pendingKey.equals("NAME") && current != main && sectionName == null) {
                    sectionName = pendingValue.toString();
                }
            }
            if (sectionName != null) {
                rawSections.put(sectionName, java.util.Arrays.copyOfRange(bytes, sectionStart, bytes.length));
                sections.put(sectionName, current);
            }
            return new Manifest(bytes, main, sections, rawSections);
        }

        private static final java.util.regex.Pattern HEADER_NAME =
                java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,70}");

        /** The longest line, its break included, that java.util.jar.Manifest reads (its line buffer). */
        static final int MAX_LINE_BYTES = 512;

        /**
         * Why {@code java.util.jar.Manifest} (JDK 25 {@code Manifest.read} and {@code Attributes.read}) would refuse
         * {@code bytes}, if it would: a line longer than {@value #MAX_LINE_BYTES} bytes, a header that is not {@code name: value} with a valid name, a continuation line with nothing to continue, or a
         * section that does not start with {@code Name:}. Empty when the JDK reads it.
         */
        static Optional<String> jdkProblem(byte[] bytes) {
            boolean main = true;
            boolean expectName = false;
            boolean header = false;
            int number = 0;
            for (int[] line : lines(bytes)) {
                number++;
                String at = "line " + number + " ";
                if (line[2] - line[0] > MAX_LINE_BYTES) {
                    return Optional.of(at + "is longer than " + MAX_LINE_BYTES + " bytes");
                }
                String text = new String(bytes, line[0], line[1] - line[0], StandardCharsets.UTF_8);
                if (text.isEmpty()) {
                    if (!expectName) {
                        main = false;
                        expectName = true; // empty lines between sections are skipped
                        header = false;
                    }
                    continue;
                }
                if (text.startsWith(" ")) {
                    if (!header) {
                        return Optional.of(at + "continues nothing");
                    }
                    continue;
                }
                int colon = text.indexOf(':');
                if (colon < 0
                        || colon + 1 >= text.length()
                        || text.charAt(colon + 1) != ' '
                        || !HEADER_NAME.matcher(text.substring(0, colon)).matches()) {
                    return Optional.of(at + "is not a header 'name: value'");
                }
                if (expectName && !main && !text.substring(0, colon).equalsIgnoreCase("Name")) {
                    return Optional.of(at + "starts a section without 'Name:'");
                }
                expectName = false;
                header = true;
            }
            return Optional.empty();
        }

        /**
         * Line starts, ends (without the line break) and the next line's start, for CRLF, LF or CR breaks; a last line
         * without a break is not a line.
         */
        private static List<int[]> lines(byte[] bytes) {
            List<int[]> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\r' || bytes[i] == '\n') {
                    int end = i;
                    if (bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
                        i++;
                    }
                    out.add(new int[] {start, end, i + 1});
                    start = i + 1;
                }
            }
            // A last line without a line break is ignored, as java.util.jar.Manifest ignores it.
            return out;
        }
    }
}
