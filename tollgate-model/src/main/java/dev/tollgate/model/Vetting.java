package dev.tollgate.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What vetting a release found, before any policy: every file vetted and every finding with the severity its analyzer
 * proposed. A policy turns it into a {@link Report}; it can be applied again later (another policy, an allowance, a
 * new indicator's findings added) without vetting the bytes again.
 *
 * @param toolVersion the Tollgate version that vetted the release
 * @param files every file vetted, by path
 * @param findings the findings with their analyzers' severities, in the order they were raised
 * @param diff what changed since the previous release, when the release was vetted against one
 */
public record Vetting(String toolVersion, List<FileRecord> files, List<Finding> findings, Optional<DiffSection> diff) {

    public Vetting {
        Objects.requireNonNull(toolVersion, "toolVersion");
        files = List.copyOf(files);
        findings = List.copyOf(findings);
        Objects.requireNonNull(diff, "diff");
    }
}
