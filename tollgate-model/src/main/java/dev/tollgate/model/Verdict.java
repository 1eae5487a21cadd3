package dev.tollgate.model;

import java.util.Locale;

/** What a policy decides about a release: deploy it, make a human approve it, or refuse it. */
public enum Verdict {
    ALLOW,
    HOLD,
    BLOCK;

    /** The lower-case name used in reports: {@code allow}, {@code hold}, {@code block}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stricter of two verdicts. */
    public Verdict max(Verdict other) {
        return ordinal() >= other.ordinal() ? this : other;
    }
}
