package dev.tollgate.intel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The running state of one feed being read: counts, skip reasons, problems, and the limits that bound them. */
final class FeedContext {

    /** Problems kept for the report; beyond this a feed is mostly garbage and only the count is useful. */
    static final int MAX_PROBLEMS_KEPT = 1000;

    private final String feed;
    private final FeedFormat format;
    private final Instant now;
    private final FeedLimits limits;
    private final Consumer<Indicator> sink;
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    private final List<FeedProblem> problems = new ArrayList<>();
    private long problemCount;
    private long loaded;
    private long entries;

    FeedContext(String feed, FeedFormat format, Instant now, FeedLimits limits, Consumer<Indicator> sink) {
        this.feed = feed;
        this.format = format;
        this.now = now;
        this.limits = limits;
        this.sink = sink;
    }

    String feed() {
        return feed;
    }

    FeedFormat format() {
        return format;
    }

    FeedLimits limits() {
        return limits;
    }

    long loaded() {
        return loaded;
    }

    long problemCount() {
        return problemCount;
    }

    long skippedCount() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Counts one entry against {@link FeedLimits#maxEntries()}; a feed over the limit is refused, not truncated. */
    void countEntry(String position) throws IntelFeedException {
        if (++entries > limits.maxEntries()) {
            throw new IntelFeedException(
                    feed, position, "more than " + limits.maxEntries() + " entries; raise the limit to load this feed");
        }
    }

    void skip(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    void problem(String position, String message) {
        problemCount++;
        if (problems.size() < MAX_PROBLEMS_KEPT) {
            problems.add(new FeedProblem(feed, position, message));
        }
    }

    /** Normalizes and hands on one value; a bad value becomes a problem at {@code position}. */
    void emit(IndicatorType type, String raw, IndicatorSource source, String position) {
        Indicator indicator;
        try {
            indicator = Indicator.of(type, raw, source);
        } catch (IllegalArgumentException e) {
            problem(position, e.getMessage());
            return;
        }
        sink.accept(indicator);
        loaded++;
    }

    /**
     * True when an indicator valid over [{@code from}, {@code until}) is in force now; otherwise counts why not. STIX
     * 2.1 section 4.3: {@code valid_until} is the time at which the indicator should no longer be considered valid.
     */
    boolean inForce(Optional<Instant> from, Optional<Instant> until) {
        if (from.isPresent() && now.isBefore(from.get())) {
            skip("not yet valid (valid_from is in the future)");
            return false;
        }
        if (until.isPresent() && !now.isBefore(until.get())) {
            skip("expired (valid_until has passed)");
            return false;
        }
        return true;
    }

    FeedSummary summary() {
        List<FeedProblem> kept = new ArrayList<>(problems);
        if (problemCount > kept.size()) {
            kept.add(new FeedProblem(feed, "end", (problemCount - kept.size()) + " more problems not listed"));
        }
        return new FeedSummary(feed, format, loaded, skipped, kept);
    }
}
