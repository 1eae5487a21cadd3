package dev.tollgate.signatures;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;

/** How reports name X.509 certificates: RFC 2253 distinguished names, hex serials, SHA-256 thumbprints. */
final class Certificates {

    private Certificates() {}

    static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding. */
    static String thumbprint(X509Certificate certificate) {
        try {
            return sha256Hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** Lower-case hex SHA-1 of the certificate's DER encoding: the thumbprint Windows and many feeds show. */
    static String thumbprintSha1(X509Certificate certificate) {
        try {
            return hex("SHA-1", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * Lower-case hex SHA-256 of {@code bytes}. The JDK's digest: certificates are few and small (the engine's
     * per-file digests and cache keys go through libcrypto instead).
     */
    static String sha256Hex(byte[] bytes) {
        return hex("SHA-256", bytes);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }

    /** The subject DN as RFC 2253 writes it, most specific first ({@code CN=...,O=...}). */
    static String subject(X509Certificate certificate) {
        return name(certificate.getSubjectX500Principal());
    }

    static String issuer(X509Certificate certificate) {
        return name(certificate.getIssuerX500Principal());
    }

    static String name(X500Principal principal) {
        return principal.getName(X500Principal.RFC2253);
    }

    /** The serial number in lower-case hex; a (non-conforming) negative serial keeps its two's complement bytes. */
    static String serial(X509Certificate certificate) {
        BigInteger serial = certificate.getSerialNumber();
        return serial.signum() >= 0 ? serial.toString(16) : HexFormat.of().formatHex(serial.toByteArray());
    }
}
