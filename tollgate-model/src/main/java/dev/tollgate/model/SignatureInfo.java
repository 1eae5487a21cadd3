package dev.tollgate.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One verified (or failed) signature on a file: Authenticode today, JAR and others later.
 *
 * @param kind what kind of signature, e.g. {@code authenticode}
 * @param status the verification outcome
 * @param signer the signing certificate's subject DN ({@code CN=...}), empty when unparseable
 * @param issuer the signing certificate's issuer DN
 * @param serial the signing certificate's serial number, lower-case hex
 * @param thumbprintSha256 SHA-256 of the signing certificate's DER, lower-case hex
 * @param digestAlgorithm the content digest algorithm the signature names, e.g. {@code SHA-256}
 * @param signingTime the time a countersignature or timestamp vouches for, or the signed signingTime attribute
 * @param timestampAuthority the subject DN of the timestamp signer, when there is a timestamp
 * @param nested 0 for a signature in the certificate table, 1 and up for nested signatures inside it
 * @param problems one line each for what made the status other than valid
 * @param thumbprintSha1 SHA-1 of the signing certificate's DER, lower-case hex (threat feeds still name certificates
 *     this way); empty when unknown
 * @param rootThumbprintSha256 SHA-256 thumbprint of the trust anchor the signer's chain was built to; empty when no
 *     chain to a trust anchor was found
 */
public record SignatureInfo(
        String kind,
        SignatureStatus status,
        String signer,
        String issuer,
        String serial,
        String thumbprintSha256,
        String digestAlgorithm,
        Optional<Instant> signingTime,
        Optional<String> timestampAuthority,
        int nested,
        List<String> problems,
        String thumbprintSha1,
        String rootThumbprintSha256) {

    /**
     * A signature that could not be read: status {@code malformed}, no signer, the one problem that says why.
     *
     * @param digestAlgorithm the digest algorithm it names, or empty when that is unknown too
     */
    public static SignatureInfo malformed(String kind, String digestAlgorithm, int nested, String problem) {
        return new SignatureInfo(
                kind,
                SignatureStatus.MALFORMED,
                "",
                "",
                "",
                "",
                digestAlgorithm,
                Optional.empty(),
                Optional.empty(),
                nested,
                List.of(problem),
                "",
                "");
    }

    public SignatureInfo {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(thumbprintSha256, "thumbprintSha256");
        Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
        Objects.requireNonNull(signingTime, "signingTime");
        Objects.requireNonNull(timestampAuthority, "timestampAuthority");
        if (nested < 0) {
            throw new IllegalArgumentException("nested cannot be negative: " + nested);
        }
        problems = List.copyOf(problems);
        Objects.requireNonNull(thumbprintSha1, "thumbprintSha1");
        Objects.requireNonNull(rootThumbprintSha256, "rootThumbprintSha256");
    }

    /** This signature with another status and its problems, as an inspection downgrades what a later check refutes. */
    public SignatureInfo withStatus(SignatureStatus newStatus, List<String> newProblems) {
        return new SignatureInfo(
                kind,
                newStatus,
                signer,
                issuer,
                serial,
                thumbprintSha256,
                digestAlgorithm,
                signingTime,
                timestampAuthority,
                nested,
                newProblems,
                thumbprintSha1,
                rootThumbprintSha256);
    }
}
