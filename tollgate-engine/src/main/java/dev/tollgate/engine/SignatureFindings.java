package dev.tollgate.engine;

import dev.tollgate.model.Finding;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code signature.*} finding for each signature whose status is not valid (MSI and JAR signatures). */
final class SignatureFindings {

    private SignatureFindings() {}

    static void add(String path, List<SignatureInfo> signatures, List<Finding> findings) {
        for (SignatureInfo signature : signatures) {
            String code;
            Severity severity;
            switch (signature.status()) {
                case VALID -> {
                    continue;
                }
                case DIGEST_MISMATCH -> {
                    code = "signature.digest-mismatch";
                    severity = Severity.CRITICAL;
                }
                case UNTRUSTED -> {
                    code = "signature.untrusted";
                    severity = Severity.HIGH;
                }
                default -> {
                    code = "signature.malformed";
                    severity = Severity.HIGH;
                }
            }
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
