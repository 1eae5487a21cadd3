package dev.tollgate.signatures;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small test PKI made with Bouncy Castle: roots, intermediates, code-signing leaves and timestamping authorities, all
 * valid around {@link #NOW}. The genuine signer's key is RSA 2048, like most code-signing keys; the others are EC P-256,
 * which Authenticode also accepts and which are quick to generate. Keys are made once per test run.
 */
final class TestPki {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private static final AtomicLong SERIALS = new AtomicLong(0x1000);

    /** A key and its certificate. */
    record Identity(KeyPair keys, X509Certificate certificate) {
        PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    static final Identity ROOT = selfSigned("CN=Tollgate Test Root,O=Tollgate Tests");
    static final Identity INTERMEDIATE = issue(
            ROOT,
            "CN=Tollgate Test Code Signing CA,O=Tollgate Tests",
            Instant.parse("2021-01-01T00:00:00Z"),
            Instant.parse("2035-01-01T00:00:00Z"),
            Usage.CA);
    static final Identity SIGNER = issue(
            INTERMEDIATE,
            "CN=Orbit Phone Ltd,O=Orbit Phone Ltd,C=GB",
            Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            Usage.CODE_SIGNING,
            rsa());
    static final Identity EXPIRED_SIGNER = issue(
            INTERMEDIATE,
            "CN=Orbit Phone Ltd 2023,O=Orbit Phone Ltd,C=GB",
            Instant.parse("2023-01-01T00:00:00Z"),
            Instant.parse("2024-01-01T00:00:00Z"),
            Usage.CODE_SIGNING);
    static final Identity NO_EKU_SIGNER = issue(
            INTERMEDIATE,
            "CN=No EKU Signer",
            Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            Usage.NONE);
    static final Identity TLS_SIGNER = issue(
            INTERMEDIATE,
            "CN=www.orbitphone.example",
            Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            Usage.SERVER_AUTH);
    static final Identity TSA = issue(
            ROOT,
            "CN=Tollgate Test Timestamping,O=Tollgate Tests",
            Instant.parse("2020-06-01T00:00:00Z"),
            Instant.parse("2036-01-01T00:00:00Z"),
            Usage.TIME_STAMPING);
    /** An intermediate CA constrained by its extended key usage to TLS servers: it cannot issue code signers. */
    static final Identity TLS_ONLY_CA = issue(
            ROOT,
            "CN=Tollgate Test TLS CA,O=Tollgate Tests",
            Instant.parse("2021-01-01T00:00:00Z"),
            Instant.parse("2035-01-01T00:00:00Z"),
            Usage.CA_SERVER_AUTH);

    static final Identity SIGNER_UNDER_TLS_CA = issue(
            TLS_ONLY_CA,
            "CN=Orbit Phone Ltd,O=Orbit Phone Ltd,C=GB",
            Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            Usage.CODE_SIGNING);
    static final Identity OTHER_ROOT = selfSigned("CN=Lookalike Root,O=Orbit Phone Ltd");
    static final Identity LOOKALIKE_SIGNER = issue(
            OTHER_ROOT,
            "CN=Orbit Phone Ltd,O=Orbit Phone Ltd,C=GB",
            Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            Usage.CODE_SIGNING);

    enum Usage {
        CA,
        CA_SERVER_AUTH,
        CODE_SIGNING,
        TIME_STAMPING,
        SERVER_AUTH,
        NONE
    }

    private TestPki() {}

    static TrustAnchors anchors() {
        return TrustAnchors.of(List.of(ROOT.certificate()));
    }

    static Identity selfSigned(String name) {
        KeyPair keys = ec();
        return new Identity(
                keys,
                build(
                        x500(name),
                        keys.getPrivate(),
                        name,
                        keys,
                        Instant.parse("2020-01-01T00:00:00Z"),
                        Instant.parse("2040-01-01T00:00:00Z"),
                        Usage.CA));
    }

    static Identity issue(Identity issuer, String name, Instant notBefore, Instant notAfter, Usage usage) {
        return issue(issuer, name, notBefore, notAfter, usage, ec());
    }

    static Identity issue(
            Identity issuer, String name, Instant notBefore, Instant notAfter, Usage usage, KeyPair keys) {
        return new Identity(
                keys,
                build(
                        X500Name.getInstance(
                                issuer.certificate().getSubjectX500Principal().getEncoded()),
                        issuer.privateKey(),
                        name,
                        keys,
                        notBefore,
                        notAfter,
                        usage));
    }

    private static X509Certificate build(
            X500Name issuerName,
            PrivateKey issuerKey,
            String subjectName,
            KeyPair subjectKeys,
            Instant notBefore,
            Instant notAfter,
            Usage usage) {
        try {
            var builder = new JcaX509v3CertificateBuilder(
                    issuerName,
                    BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    x500(subjectName),
                    subjectKeys.getPublic());
            switch (usage) {
                case CA -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    builder.addExtension(
                            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }
                case CA_SERVER_AUTH -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    builder.addExtension(
                            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                    builder.addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                }
                case CODE_SIGNING ->
                    builder.addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
                case TIME_STAMPING ->
                    // RFC 3161 §2.3: the TSA certificate's only EKU is timeStamping, marked critical.
                    builder.addExtension(
                            Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
                case SERVER_AUTH ->
                    builder.addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                case NONE -> {}
            }
            var signer = new JcaContentSignerBuilder(signatureAlgorithm("SHA-256", issuerKey)).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build test certificate " + subjectName, e);
        }
    }

    /** Parses an RFC 2253 name (most specific first) into its encoded order (country first), as real CAs do. */
    private static X500Name x500(String rfc2253) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(rfc2253).getEncoded());
    }

    /** The JCA signature algorithm for a digest ({@code SHA-256}) and a key (RSA or EC). */
    static String signatureAlgorithm(String digest, PrivateKey key) {
        return digest.replace("-", "") + (key.getAlgorithm().equals("RSA") ? "withRSA" : "withECDSA");
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
