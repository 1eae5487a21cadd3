package dev.tollgate.signatures;

import dev.tollgate.model.Finding;
import dev.tollgate.model.PeSummary;
import dev.tollgate.model.SignatureInfo;
import java.util.List;
import java.util.Optional;

/** What {@link PeInspector} learned about one PE file: its summary, its signatures and its findings. */
public record PeInspection(Optional<PeSummary> summary, List<SignatureInfo> signatures, List<Finding> findings) {

    public PeInspection {
        signatures = List.copyOf(signatures);
        findings = List.copyOf(findings);
    }
}
