package dev.tollgate.engine;

import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * What vetting one input produced: its own record and, for a container, the records of the files inside it (paths
 * {@code outer!inner}), with the findings about all of them. Findings carry the analyzers' severities; the policy is
 * applied once, over the whole scan.
 *
 * @param inFull whether every check ran to its end on every file (no analyzer failed, nothing was unreadable): only
 *     such a result may be cached, since a later build may do better on the rest. Unpacking problems do not count:
 *     they are what the bytes say, and vetting them again gives the same findings.
 */
public record VetResult(List<FileRecord> files, List<Finding> findings, boolean inFull) {

    public VetResult {
        files = List.copyOf(files);
        findings = List.copyOf(findings);
    }

    /** Only findings, as for a file that could not be read: not vetted in full. */
    public static VetResult of(Finding finding) {
        return new VetResult(List.of(), List.of(finding), false);
    }

    /** This result followed by {@code other}'s, as a container adds its entries' results to its own. */
    public VetResult plus(VetResult other) {
        List<FileRecord> allFiles = new ArrayList<>(files);
        allFiles.addAll(other.files);
        List<Finding> allFindings = new ArrayList<>(findings);
        allFindings.addAll(other.findings);
        return new VetResult(allFiles, allFindings, inFull && other.inFull);
    }
}
