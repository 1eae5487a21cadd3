package dev.tollgate.intel;

/**
 * Bounds on what a feed may make Tollgate read, so that a hostile or broken feed fails with a message rather than
 * exhausting memory or the stack.
 *
 * @param maxFileBytes the largest feed file read
 * @param maxEntries the most entries (STIX objects, MISP attributes, CSV lines) in one feed
 * @param maxStringLength the longest JSON string or CSV line, in characters
 * @param maxJsonDepth the deepest JSON nesting
 * @param maxPatternLength the longest STIX pattern, in characters
 * @param maxPatternDepth the deepest nesting of brackets and parentheses in a STIX pattern
 * @param maxPatternAlternatives the most alternatives one STIX pattern may expand to
 */
public record FeedLimits(
        long maxFileBytes,
        int maxEntries,
        int maxStringLength,
        int maxJsonDepth,
        int maxPatternLength,
        int maxPatternDepth,
        int maxPatternAlternatives) {

    /** Room for the largest public feeds (tens of millions of lines would need a raised limit). */
    public static final FeedLimits DEFAULT = new FeedLimits(2L << 30, 20_000_000, 1 << 20, 64, 64 << 10, 32, 4096);

    public FeedLimits {
        requirePositive(maxFileBytes, "maxFileBytes");
        requirePositive(maxEntries, "maxEntries");
        requirePositive(maxStringLength, "maxStringLength");
        requirePositive(maxJsonDepth, "maxJsonDepth");
        requirePositive(maxPatternLength, "maxPatternLength");
        requirePositive(maxPatternDepth, "maxPatternDepth");
        requirePositive(maxPatternAlternatives, "maxPatternAlternatives");
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
