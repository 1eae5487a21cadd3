package dev.tollgate.signatures;

import dev.tollgate.model.SignatureInfo;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What verifying one certificate-table entry found: its signatures and the facts the tamper checks need.
 *
 * @param signatures the entry's signature first, then its nested signatures in the order they appear
 * @param pkcs7Length how many bytes the outer PKCS#7 ContentInfo's encoding spans, when it could be measured; bytes of
 *     the entry beyond it are not part of any signature
 * @param extraCertificates certificates carried in a bag that belong to neither the signer's chain nor the timestamp
 *     signer's chain
 * @param unexpectedAttributes unauthenticated attributes other than countersignatures, RFC 3161 timestamps and nested
 *     signatures: the unsigned place where data can be hidden without breaking the signature
 */
record AuthenticodeVerification(
        List<SignatureInfo> signatures,
        OptionalLong pkcs7Length,
        List<ExtraCertificate> extraCertificates,
        List<UnexpectedAttribute> unexpectedAttributes) {

    AuthenticodeVerification {
        signatures = List.copyOf(signatures);
        Objects.requireNonNull(pkcs7Length, "pkcs7Length");
        extraCertificates = List.copyOf(extraCertificates);
        unexpectedAttributes = List.copyOf(unexpectedAttributes);
    }

    /** A certificate in the bag of the signature at nesting level {@code nested} that no verified chain uses. */
    record ExtraCertificate(int nested, String subject, String thumbprintSha256) {
        ExtraCertificate {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(thumbprintSha256, "thumbprintSha256");
        }
    }

    /** An unauthenticated attribute of the signature at nesting level {@code nested}, with its encoded size. */
    record UnexpectedAttribute(int nested, String oid, int bytes) {
        UnexpectedAttribute {
            Objects.requireNonNull(oid, "oid");
        }
    }
}
