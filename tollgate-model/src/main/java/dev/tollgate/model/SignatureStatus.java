package dev.tollgate.model;

/** The outcome of verifying one signature. */
public enum SignatureStatus {
    /** The digest matches, the signer's signature verifies and the chain ends at a trust anchor. */
    VALID("valid"),
    /** The signed digest does not match the content. */
    DIGEST_MISMATCH("digest-mismatch"),
    /** Cryptographically sound, but the chain does not end at a trust anchor (or is expired, or lacks the EKU). */
    UNTRUSTED("untrusted"),
    /** The signature could not be parsed, or its signer's signature does not verify. */
    MALFORMED("malformed");

    private final String label;

    SignatureStatus(String label) {
        this.label = label;
    }

    /** The name used in reports. */
    public String label() {
        return label;
    }
}
