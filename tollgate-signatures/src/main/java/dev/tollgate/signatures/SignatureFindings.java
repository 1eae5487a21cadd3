package dev.tollgate.signatures;

import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code signature.*} finding for each signature whose status is not valid (MSI and JAR signatures). */
final class SignatureFindings {

    private SignatureFindings() {}

    /** The finding code for a signature that is not valid (docs/DESIGN.md, "Finding codes"). */
    static FindingCode codeOf(SignatureStatus status) {
        return switch (status) {
            case DIGEST_MISMATCH -> FindingCode.SIGNATURE_DIGEST_MISMATCH;
            case UNTRUSTED -> FindingCode.SIGNATURE_UNTRUSTED;
            case MALFORMED -> FindingCode.SIGNATURE_MALFORMED;
            case VALID -> throw new IllegalArgumentException("a valid signature has no finding");
        };
    }

    static void add(String path, List<SignatureInfo> signatures, List<Finding> findings) {
        for (SignatureInfo signature : signatures) {
            if (signature.status() == SignatureStatus.VALID) {
                continue;
            }
            FindingCode code = codeOf(signature.status());
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
            findings.add(Finding.of(
                    code,
                    path,
                    signature.kind() + " signature" + who + " is "
                            + signature.status().label() + why,
                    evidence));
        }
    }
}
