package dev.tollgate.intel;

import java.util.Objects;

/**
 * One matchable value from a feed.
 *
 * @param type what the value describes
 * @param value the value in canonical form ({@link IndicatorType#normalize(String)})
 * @param source where it came from
 */
public record Indicator(IndicatorType type, String value, IndicatorSource source) {

    public Indicator {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        if (!type.normalize(value).equals(value)) {
            throw new IllegalArgumentException(
                    "indicator value is not in canonical form for " + type.label() + ": " + value);
        }
    }

    /** Normalizes {@code raw} and builds the indicator; throws {@link IllegalArgumentException} naming what is wrong. */
    public static Indicator of(IndicatorType type, String raw, IndicatorSource source) {
        return new Indicator(type, type.normalize(raw), source);
    }
}
