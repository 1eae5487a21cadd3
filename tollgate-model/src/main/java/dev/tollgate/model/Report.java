package dev.tollgate.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of vetting a release: the contract of {@code --format json} (docs/DESIGN.md, "JSON report").
 *
 * @param toolVersion Tollgate's version
 * @param verdict the policy's decision
 * @param files every file vetted, in a stable order (by path)
 * @param findings every finding after the policy assigned severities, most severe first
 * @param reasons one line each for why the verdict is not {@code allow}; empty when it is
 * @param diff what changed since the previous release, for {@code tollgate diff}
 */
public record Report(
        String toolVersion,
        Verdict verdict,
        List<FileRecord> files,
        List<Finding> findings,
        List<String> reasons,
        Optional<DiffSection> diff) {

    public Report {
        Objects.requireNonNull(toolVersion, "toolVersion");
        Objects.requireNonNull(verdict, "verdict");
        files = List.copyOf(files);
        findings = List.copyOf(findings);
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(diff, "diff");
    }

    /** A scan report, without a diff section. */
    public Report(
            String toolVersion, Verdict verdict, List<FileRecord> files, List<Finding> findings, List<String> reasons) {
        this(toolVersion, verdict, files, findings, reasons, Optional.empty());
    }
}
