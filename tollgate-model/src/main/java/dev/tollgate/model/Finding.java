package dev.tollgate.model;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One thing worth a reviewer's attention about one file. Findings are data: the policy, not the analyzer, turns them
 * into a verdict.
 *
 * @param code stable dotted code such as {@code signature.appended-data} (docs/DESIGN.md, "Finding codes")
 * @param severity the severity the analyzer proposes; a policy may override it per code
 * @param path the file's report path ({@code outer!inner} inside containers)
 * @param message one line for a person
 * @param evidence JSON-shaped values only: String, Number, Boolean, List and Map of those
 */
public record Finding(String code, Severity severity, String path, String message, Map<String, Object> evidence) {

    private static final Pattern CODE = Pattern.compile("[a-z0-9]+(\\.[a-z0-9-]+)+");

    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("finding code must be dotted lower-case words: " + code);
        }
        evidence = Map.copyOf(evidence);
    }

    /** A finding of a catalogued code, at the severity its raiser has a reason to give it. */
    public Finding(FindingCode code, Severity severity, String path, String message, Map<String, Object> evidence) {
        this(code.code(), severity, path, message, evidence);
    }

    /** A finding of a catalogued code at the code's default severity. */
    public static Finding of(FindingCode code, String path, String message, Map<String, Object> evidence) {
        return new Finding(code.code(), code.defaultSeverity(), path, message, evidence);
    }

    /** The same finding with another severity, as a policy assigns it. */
    public Finding withSeverity(Severity newSeverity) {
        return new Finding(code, newSeverity, path, message, evidence);
    }
}
