package dev.tollgate.signatures;

import dev.tollgate.model.Finding;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code signature.*} finding for each signature whose status is not valid (MSI and JAR signatures). */
final class SignatureFindings {

    private SignatureFindings() {}

    /** The finding code for a signature that is not valid (docs/DESIGN.md, "Finding codes"). */
    static String codeOf(SignatureStatus status) {
        return switch (status) {
            case DIGEST_MISMATCH -> "signature.digest-mismatch";
            case UNTRUSTED -> "signature.untrusted";
            case MALFORMED -> "signature.malformed";
            case VALID -> throw new IllegalArgumentException("a valid signature has no finding");
        };
    }

    /** The default severity of {@link #codeOf}'s finding: a mismatched digest is critical, the rest high. */
    static Severity severityOf(SignatureStatus status) {
        return status == SignatureStatus.DIGEST_MISMATCH ? Severity.CRITICAL : Severity.HIGH;
    }

    static void add(String path, List<SignatureInfo> signatures, List<Finding> findings) {
        for (SignatureInfo signature : signatures) {
            if (signature.status() == SignatureStatus.VALID) {
                continue;
            }
            String code = codeOf(signature.status());
            Severity severity = severityOf(signature.status());
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("kind", signature.kind());
            evidence.put("signer", signature.signer());
            evidence.put("thumbprintSha256", signature.thumbprintSha256());
            evidence.put("digestAlgorithm", signature.digestAlgorithm());
            evidence.put("problems", List.<Object>copyOf(signature.problems()));
            String who = signature.signer().isEmpty() ? "" : " by " + signature.signer();
            String why = signature.problems().isEmpty()
                    ? ""
                    : ": " + signature.problems().getFirst();
            findings.add(new Finding(
                    code,
                    severity,
                    path,
                    signature.kind() + " signature" + who + " is "
                            + signature.status().label() + why,
                    evidence));
        }
    }
}
