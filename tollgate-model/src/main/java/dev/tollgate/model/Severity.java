package dev.tollgate.model;

import java.util.Locale;

/** How much a finding weighs, from the most to the least serious. The order of the constants is the rank. */
public enum Severity {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW,
    INFO;

    /** The lower-case name used in reports and policies: {@code critical}, {@code high}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label as written in a policy or report; throws {@link IllegalArgumentException} naming the value. */
    public static Severity fromLabel(String label) {
        for (Severity s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown severity '" + label + "' (expected critical, high, medium, low or info)");
    }

    /** True when this severity is at least as serious as {@code other}. */
    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }
}
