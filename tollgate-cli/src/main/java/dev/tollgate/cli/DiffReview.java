package dev.tollgate.cli;

import dev.tollgate.model.ChangeKind;
import dev.tollgate.model.DiffSection;
import dev.tollgate.model.FileChange;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The review part of {@code tollgate diff}'s text report: the files whose change carries a finding, riskiest first,
 * each with what a reviewer compares (hashes, size, version, signer, findings), then the uneventful rest as counts.
 */
final class DiffReview {

    /** Files reviewed in detail before the rest is only counted; the JSON report has them all. */
    static final int MAX_FILES_REVIEWED = 50;

    private DiffReview() {}

    static void append(Report report, DiffSection diff, StringBuilder b) {
        Map<ChangeKind, Long> counts = diff.counts();
        b.append('\n')
                .append("Changes since ")
                .append(Terminal.oneLine(String.join(", ", diff.previous())))
                .append(": ")
                .append(counts.get(ChangeKind.CHANGED))
                .append(" changed, ")
                .append(counts.get(ChangeKind.ADDED))
                .append(" added, ")
                .append(counts.get(ChangeKind.REMOVED))
                .append(" removed, ")
                .append(counts.get(ChangeKind.MOVED))
                .append(" moved, ")
                .append(counts.get(ChangeKind.UNCHANGED))
                .append(" unchanged\n");

        Map<String, List<Finding>> byPath = new HashMap<>();
        for (Finding f : report.findings()) {
            byPath.computeIfAbsent(f.path(), p -> new ArrayList<>()).add(f);
        }
        List<FileChange> noteworthy = new ArrayList<>();
        long quiet = 0;
        for (FileChange c : diff.changes()) {
            if (c.kind() == ChangeKind.UNCHANGED) {
                continue;
            }
            if (worst(c, byPath).filter(s -> s.atLeast(Severity.LOW)).isPresent()) {
                noteworthy.add(c);
            } else {
                quiet++;
            }
        }
        noteworthy.sort(Comparator.comparing((FileChange c) -> worst(c, byPath).orElseThrow())
                .thenComparing(FileChange::key));

        b.append('\n').append("Review (").append(noteworthy.size()).append(" files, riskiest first)\n");
        if (noteworthy.isEmpty()) {
            b.append("  nothing to review beyond the counts above\n");
        }
        int shown = 0;
        for (FileChange c : noteworthy) {
            if (shown++ == MAX_FILES_REVIEWED) {
                b.append("  ... and ")
                        .append(noteworthy.size() - MAX_FILES_REVIEWED)
                        .append(" more (--format json lists them all)\n");
                break;
            }
            appendFile(c, byPath.getOrDefault(pathOf(c), List.of()), b);
        }
        if (quiet > 0) {
            b.append("  ").append(quiet).append(" more added, removed, changed or moved files with nothing to note\n");
        }
    }

    private static String pathOf(FileChange c) {
        return c.next().or(c::previous).orElseThrow().path();
    }

    private static Optional<Severity> worst(FileChange c, Map<String, List<Finding>> byPath) {
        return byPath.getOrDefault(pathOf(c), List.of()).stream()
                .map(Finding::severity)
                .min(Comparator.naturalOrder());
    }

    private static void appendFile(FileChange c, List<Finding> findings, StringBuilder b) {
        b.append("  ")
                .append(c.kind().label().toUpperCase(java.util.Locale.ROOT))
                .append("  ")
                .append(Terminal.oneLine(pathOf(c)))
                .append('\n');
        Optional<FileRecord> old = c.previous();
        Optional<FileRecord> now = c.next();
        if (old.isPresent() && now.isPresent()) {
            b.append("      sha256   ")
                    .append(old.get().hashes().sha256())
                    .append("\n            -> ")
                    .append(now.get().hashes().sha256())
                    .append('\n');
            b.append("      size     ")
                    .append(old.get().size())
                    .append(" -> ")
                    .append(now.get().size())
                    .append(" bytes\n");
            pair(b, "version", version(old.get()), version(now.get()));
            pair(b, "signer", signer(old.get()), signer(now.get()));
        } else {
            FileRecord f = now.or(() -> old).orElseThrow();
            b.append("      sha256   ").append(f.hashes().sha256()).append('\n');
            version(f).ifPresent(v -> b.append("      version  ")
                    .append(Terminal.oneLine(v))
                    .append('\n'));
            b.append("      signer   ")
                    .append(Terminal.oneLine(signer(f).orElse("not signed")))
                    .append('\n');
        }
        for (Finding f : findings) {
            b.append("      ")
                    .append(f.severity().label())
                    .append(' ')
                    .append(f.code())
                    .append(": ")
                    .append(Terminal.oneLine(f.message()))
                    .append('\n');
        }
    }

    private static void pair(StringBuilder b, String label, Optional<String> was, Optional<String> is) {
        String before = was.orElse("none");
        String after = is.orElse("none");
        b.append("      ")
                .append(String.format("%-9s", label))
                .append(Terminal.oneLine(before))
                .append(before.equals(after) ? " (unchanged)" : " -> " + Terminal.oneLine(after))
                .append('\n');
    }

    private static Optional<String> version(FileRecord f) {
        return f.pe().map(pe -> pe.version().get("FileVersion")).filter(v -> !v.isBlank());
    }

    private static Optional<String> signer(FileRecord f) {
        return f.signatures().stream().filter(s -> s.nested() == 0).findFirst().map(DiffReview::describe);
    }

    private static String describe(SignatureInfo s) {
        String thumb = s.thumbprintSha256();
        return s.signer() + " (issuer " + s.issuer() + ", sha256 " + thumb.substring(0, Math.min(16, thumb.length()))
                + "..., " + s.status().label() + ")";
    }
}
