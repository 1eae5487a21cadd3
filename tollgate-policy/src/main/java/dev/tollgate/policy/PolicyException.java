package dev.tollgate.policy;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A policy file cannot be used. The message, for a person, reads {@code source[:line]: [key path: ]problem}; the parts
 * are also fields, so that a server can answer "400, {@code severities.pe.overlay} on line 3" without parsing text.
 */
public final class PolicyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String keyPath;
    private final int line;
    private final String problem;

    /**
     * @param source what the policy was read from: a file name, or the name a caller gave its text
     * @param keyPath the key the problem is at, as written in the docs ({@code severities.pe.overlay},
     *     {@code signers[0].thumbprints[1]}); empty when the problem is the whole file
     * @param line the 1-based line of that key, or of the syntax error; empty when unknown
     * @param problem what is wrong, and what would be right
     */
    PolicyException(String source, String keyPath, OptionalInt line, String problem) {
        super(message(source, keyPath, line, problem));
        this.source = Objects.requireNonNull(source, "source");
        this.keyPath = Objects.requireNonNull(keyPath, "keyPath");
        this.line = line.orElse(0);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    private static String message(String source, String keyPath, OptionalInt line, String problem) {
        StringBuilder m = new StringBuilder(source);
        line.ifPresent(n -> m.append(':').append(n));
        m.append(": ");
        if (!keyPath.isEmpty()) {
            m.append(keyPath).append(": ");
        }
        return m.append(problem).toString();
    }

    /** What the policy was read from. */
    public String source() {
        return source;
    }

    /** The key the problem is at ({@code signers[0].thumbprints[1]}); empty when the problem is the whole file. */
    public String keyPath() {
        return keyPath;
    }

    /** The 1-based line of the key or of the syntax error, when the YAML parser reported one. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** What is wrong, without the source, line and key. */
    public String problem() {
        return problem;
    }
}
