package dev.tollgate.cli;

import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.NpmPackageRecord;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import dev.tollgate.model.Verdict;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * The report for a person at a terminal: the verdict and why first, then the findings, most severe first, one line
 * each with the file and the reason, then each file with its signers. Text that comes from analysed files passes
 * through {@link Terminal#oneLine} so it cannot inject terminal escapes. ANSI colour only when asked.
 */
final class TextReport {

    /** Files listed before the list is cut short; the JSON report has them all. */
    static final int MAX_FILES_LISTED = 200;

    private static final String RESET = "\033[0m";
    private static final String BOLD_RED = "\033[1;31m";
    private static final String RED = "\033[31m";
    private static final String BOLD_YELLOW = "\033[1;33m";
    private static final String YELLOW = "\033[33m";
    private static final String BOLD_GREEN = "\033[1;32m";
    private static final String CYAN = "\033[36m";
    private static final String DIM = "\033[2m";

    private final boolean color;

    TextReport(boolean color) {
        this.color = color;
    }

    void write(Report report, Writer out) throws IOException {
        StringBuilder b = new StringBuilder();
        Verdict verdict = report.verdict();
        b.append(paint(verdictColor(verdict), verdict.name()))
                .append("  ")
                .append(headline(report))
                .append('\n');
        for (String reason : report.reasons()) {
            b.append("  ").append(Terminal.oneLine(reason)).append('\n');
        }

        b.append('\n').append("Findings (").append(report.findings().size()).append(")\n");
        if (report.findings().isEmpty()) {
            b.append("  none\n");
        }
        for (Finding f : report.findings()) {
            String label = String.format("%-8s", f.severity().name());
            b.append("  ")
                    .append(paint(severityColor(f.severity()), label))
                    .append("  ")
                    .append(Terminal.oneLine(f.path()))
                    .append("  ")
                    .append(f.code())
                    .append(": ")
                    .append(Terminal.oneLine(f.message()))
                    .append('\n');
        }

        if (report.diff().isPresent()) {
            DiffReview.append(report, report.diff().get(), b);
            out.write(b.toString());
            return;
        }

        long bytes = report.files().stream().mapToLong(FileRecord::size).sum();
        b.append('\n')
                .append("Files (")
                .append(report.files().size())
                .append(", ")
                .append(size(bytes))
                .append(")\n");
        int listed = 0;
        for (FileRecord file : report.files()) {
            if (listed++ == MAX_FILES_LISTED) {
                b.append("  ... and ")
                        .append(report.files().size() - MAX_FILES_LISTED)
                        .append(" more (--format json lists them all)\n");
                break;
            }
            b.append("  ")
                    .append(Terminal.oneLine(file.path()))
                    .append("  ")
                    .append(file.type().label())
                    .append("  ")
                    .append(size(file.size()))
                    .append("  sha256 ")
                    .append(file.hashes().sha256())
                    .append('\n');
            for (SignatureInfo s : file.signatures()) {
                b.append("      ")
                        .append(paint(
                                s.status() == SignatureStatus.VALID ? BOLD_GREEN : BOLD_RED,
                                s.status().label()))
                        .append(s.nested() > 0 ? " (nested)" : "")
                        .append(" signature by ")
                        .append(Terminal.oneLine(s.signer().isEmpty() ? "(unknown signer)" : s.signer()))
                        .append(", issued by ")
                        .append(Terminal.oneLine(s.issuer().isEmpty() ? "(unknown issuer)" : s.issuer()));
                s.signingTime().ifPresent(t -> b.append(", signed ").append(t));
                b.append('\n');
            }
            if (file.signatures().isEmpty() && file.type() == FileType.PE) {
                b.append("      ").append(paint(DIM, "not signed")).append('\n');
            }
        }
        appendNpmPackages(report, b);
        out.write(b.toString());
    }

    /** The npm packages found in containers, one a line with the package.json that names it; none: no section. */
    private static void appendNpmPackages(Report report, StringBuilder b) {
        List<NpmPackageRecord> all =
                report.files().stream().flatMap(f -> f.npmPackages().stream()).toList();
        if (all.isEmpty()) {
            return;
        }
        long containers =
                report.files().stream().filter(f -> !f.npmPackages().isEmpty()).count();
        b.append('\n')
                .append("npm packages (")
                .append(all.size())
                .append(" in ")
                .append(count(containers, "container"))
                .append(")\n");
        int listed = 0;
        for (NpmPackageRecord p : all) {
            if (listed++ == MAX_FILES_LISTED) {
                b.append("  ... and ")
                        .append(all.size() - MAX_FILES_LISTED)
                        .append(" more (--format json lists them all)\n");
                break;
            }
            b.append("  ")
                    .append(Terminal.oneLine(p.name()))
                    .append(' ')
                    .append(Terminal.oneLine(p.version()))
                    .append("  ")
                    .append(Terminal.oneLine(p.path()))
                    .append('\n');
        }
    }

    private static String headline(Report report) {
        long blocking =
                report.reasons().stream().filter(r -> r.startsWith("block:")).count();
        long holding = report.reasons().size() - blocking;
        return switch (report.verdict()) {
            case ALLOW -> "nothing holds or blocks this release";
            case HOLD -> "a person must approve this release before it is deployed (" + count(holding, "reason") + ")";
            case BLOCK ->
                "do not deploy this release (" + count(blocking, "blocking reason")
                        + (holding > 0 ? ", " + count(holding, "holding reason") : "") + ")";
        };
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Bytes for a person: {@code 812 B}, {@code 4.2 KiB}, {@code 1.3 GiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private String paint(String ansi, String text) {
        return color ? ansi + text + RESET : text;
    }

    private static String verdictColor(Verdict verdict) {
        return switch (verdict) {
            case ALLOW -> BOLD_GREEN;
            case HOLD -> BOLD_YELLOW;
            case BLOCK -> BOLD_RED;
        };
    }

    private static String severityColor(Severity severity) {
        return switch (severity) {
            case CRITICAL -> BOLD_RED;
            case HIGH -> RED;
            case MEDIUM -> YELLOW;
            case LOW -> CYAN;
            case INFO -> DIM;
        };
    }
}
