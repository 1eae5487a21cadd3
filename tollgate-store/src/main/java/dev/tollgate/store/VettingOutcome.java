package dev.tollgate.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a worker stores about a vetted release, in one transaction. */
public record VettingOutcome(
        String verdict,
        ApprovalState approval,
        Optional<String> previousId,
        String reportJson,
        String vettingFormat,
        String vettingJson,
        List<FindingRow> findings,
        List<FileFacts> files,
        Instant completedAt) {

    public VettingOutcome {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(previousId, "previousId");
        Objects.requireNonNull(reportJson, "reportJson");
        Objects.requireNonNull(vettingFormat, "vettingFormat");
        Objects.requireNonNull(vettingJson, "vettingJson");
        findings = List.copyOf(findings);
        files = List.copyOf(files);
        Objects.requireNonNull(completedAt, "completedAt");
    }
}
