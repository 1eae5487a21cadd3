package dev.tollgate.intel;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What reading one feed did.
 *
 * @param feed the feed's file name
 * @param format the detected format
 * @param loaded indicator values handed to the index
 * @param skipped entries deliberately not loaded, counted by reason (revoked, expired, a pattern that cannot be
 *     evaluated statically, a MISP attribute without {@code to_ids}, a type Tollgate does not match)
 * @param problems entries that are wrong, each with its position; the rest of the feed was loaded
 */
public record FeedSummary(
        String feed, FeedFormat format, long loaded, Map<String, Long> skipped, List<FeedProblem> problems) {

    public FeedSummary {
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(format, "format");
        skipped = Map.copyOf(skipped);
        problems = List.copyOf(problems);
    }

    /** The number of skipped entries over all reasons. */
    public long skippedCount() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }
}
