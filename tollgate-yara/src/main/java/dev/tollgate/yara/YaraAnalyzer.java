package dev.tollgate.yara;

import dev.tollgate.analysis.AnalysisException;
import dev.tollgate.analysis.FileAnalyzer;
import dev.tollgate.formats.ByteView;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs YARA rules on every vetted file and reports each matching rule as a {@code yara.match} finding (docs/DESIGN.md,
 * "Finding codes"). Evidence: {@code rule}, {@code namespace}, {@code tags}, {@code meta}, and {@code strings} as
 * {@code [{identifier, offset, length}]} (bounded, with {@code stringsTruncated} when some were left out).
 *
 * <p>Severity comes from the rule's metadata, {@code severity} first, then {@code score} (see {@link #severityOf});
 * without either, a match is {@code high}, as the default policy expects.
 *
 * <p>A scan that fails or times out on a file throws {@link AnalysisException} with libyara's error code name (the
 * engine's {@code analysis.failed} finding adds the file), so the scan is held rather than the file reported clean.
 * Thread-safe.
 */
public final class YaraAnalyzer implements FileAnalyzer {

    /** Per-file time limit when none is given; large installers take seconds, not minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Optional<YaraRules> rules;
    private final Duration timeout;
    private final String unavailable;

    private YaraAnalyzer(Optional<YaraRules> rules, Duration timeout, String unavailable) {
        this.rules = rules;
        this.timeout = timeout;
        this.unavailable = unavailable;
    }

    /** An analyzer scanning with {@code rules}, which the caller keeps open while the analyzer is used. */
    public static YaraAnalyzer of(YaraRules rules, Duration timeout) {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new YaraAnalyzer(Optional.of(rules), timeout, "");
    }

    /**
     * An analyzer for a scan that asked for YARA rules when libyara is missing: every file fails with the reason, so
     * the engine holds the scan instead of passing files that were never checked.
     */
    public static YaraAnalyzer unavailable(YaraUnavailableException reason) {
        Objects.requireNonNull(reason, "reason");
        return new YaraAnalyzer(Optional.empty(), DEFAULT_TIMEOUT, reason.getMessage());
    }

    @Override
    public String name() {
        return "yara";
    }

    @Override
    public List<Finding> analyze(FileRecord file, ByteView content) throws AnalysisException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(content, "content");
        if (rules.isEmpty()) {
            throw new AnalysisException("YARA rules not run: " + unavailable);
        }
        List<YaraMatch> matches;
        try {
            matches = rules.get().scan(content.segment(), timeout);
        } catch (YaraScanException e) {
            throw new AnalysisException(
                    file.path() + ": YARA " + (e.isTimeout() ? "scan timed out" : "scan failed") + " (" + e.errorName()
                            + ")",
                    e);
        }
        List<Finding> findings = new ArrayList<>(matches.size());
        for (YaraMatch m : matches) {
            findings.add(finding(file.path(), m));
        }
        return findings;
    }

    private static Finding finding(String path, YaraMatch m) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("rule", m.rule());
        evidence.put("namespace", m.namespace());
        evidence.put("tags", m.tags());
        evidence.put("meta", m.meta());
        List<Map<String, Object>> strings = new ArrayList<>(m.strings().size());
        for (YaraStringMatch s : m.strings()) {
            strings.add(Map.of("identifier", s.identifier(), "offset", s.offset(), "length", s.length()));
        }
        evidence.put("strings", strings);
        if (m.truncated()) {
            evidence.put("stringsTruncated", true);
        }
        String description = m.meta().get("description") instanceof String d && !d.isBlank() ? ": " + d : "";
        return new Finding(
                FindingCode.YARA_MATCH,
                severityOf(m.meta()),
                path,
                "YARA rule " + m.namespace() + ":" + m.rule() + " matched" + description,
                evidence);
    }

    /**
     * The severity a rule asks for through its metadata:
     *
     * <ul>
     *   <li>{@code severity}: one of {@code critical}, {@code high}, {@code medium}, {@code low}, {@code info}
     *       (case-insensitive);
     *   <li>otherwise {@code score}, an integer (or a string holding one) from 0 to 100, as many public rule sets use
     *       it: 90 and above critical, 70 to 89 high, 40 to 69 medium, 1 to 39 low, 0 info; above 100 counts as
     *       critical;
     *   <li>otherwise, or when the value is not one of those, {@code high}.
     * </ul>
     */
    static Severity severityOf(Map<String, Object> meta) {
        if (meta.get("severity") instanceof String s) {
            String label = s.strip().toLowerCase(Locale.ROOT);
            for (Severity v : Severity.values()) {
                if (v.label().equals(label)) {
                    return v;
                }
            }
        }
        Object score = meta.get("score");
        Optional<Long> value = Optional.empty();
        if (score instanceof Long l) {
            value = Optional.of(l);
        } else if (score instanceof String s && s.strip().matches("\\d{1,9}")) {
            value = Optional.of(Long.parseLong(s.strip()));
        }
        return value.filter(v -> v >= 0).map(YaraAnalyzer::severityOfScore).orElse(Severity.HIGH);
    }

    private static Severity severityOfScore(long score) {
        if (score >= 90) {
            return Severity.CRITICAL;
        } else if (score >= 70) {
            return Severity.HIGH;
        } else if (score >= 40) {
            return Severity.MEDIUM;
        } else if (score >= 1) {
            return Severity.LOW;
        }
        return Severity.INFO;
    }
}
