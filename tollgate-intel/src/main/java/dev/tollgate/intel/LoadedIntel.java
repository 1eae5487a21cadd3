package dev.tollgate.intel;

import java.util.List;
import java.util.Objects;

/**
 * Feeds loaded into one index.
 *
 * @param index every indicator in force, from all feeds
 * @param feeds what each feed contributed, in the order given
 */
public record LoadedIntel(IndicatorIndex index, List<FeedSummary> feeds) {

    public LoadedIntel {
        Objects.requireNonNull(index, "index");
        feeds = List.copyOf(feeds);
    }
}
