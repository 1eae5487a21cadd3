package dev.tollgate.intel;

/** What an indicator describes, and so which part of a vetted file it is matched against. */
public enum IndicatorType {
    /** A file's SHA-256, 64 lower-case hex digits. */
    SHA256("sha256", "SHA-256"),
    /** A file's SHA-1, 40 lower-case hex digits. */
    SHA1("sha1", "SHA-1"),
    /** A file's MD5, 32 lower-case hex digits. */
    MD5("md5", "MD5"),
    /** A registered domain or host name in punycode, lower case; matches the name and every subdomain of it. */
    DOMAIN("domain", "domain"),
    /** A URL with scheme and host in lower case and the default port removed. */
    URL("url", "URL"),
    /** An IPv4 or IPv6 address, or a CIDR network ({@code 10.1.0.0/16}). */
    IP("ip", "IP"),
    /** A signing certificate's serial number, lower-case hex without leading zeros. */
    CERT_SERIAL("cert-serial", "serial"),
    /** SHA-256 of a signing certificate's DER encoding (its thumbprint). */
    CERT_SHA256("cert-sha256", "thumbprint-SHA-256"),
    /** SHA-1 of a signing certificate's DER encoding. */
    CERT_SHA1("cert-sha1", "thumbprint-SHA-1");

    private final String label;
    private final String algorithm;

    IndicatorType(String label, String algorithm) {
        this.label = label;
        this.algorithm = algorithm;
    }

    /** The name used in CSV feeds and reports, e.g. {@code sha256}, {@code cert-serial}. */
    public String label() {
        return label;
    }

    /** What was compared, as evidence names it: {@code SHA-256}, {@code serial}, {@code domain}, ... */
    public String algorithm() {
        return algorithm;
    }

    /** True for the three file digests. */
    public boolean isFileHash() {
        return this == SHA256 || this == SHA1 || this == MD5;
    }

    /**
     * The canonical form of {@code raw} for this type, so that feeds and scans compare equal (hex in lower case, domains
     * in punycode, URLs with default ports removed, networks with host bits cleared).
     *
     * @throws IllegalArgumentException naming the value and what is wrong with it
     */
    public String normalize(String raw) {
        return IndicatorValues.normalize(this, raw);
    }
}
