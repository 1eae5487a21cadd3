package dev.tollgate.intel;

import java.util.Objects;

/**
 * One entry of a feed that could not be loaded; the rest of the feed was.
 *
 * @param feed the feed's file name
 * @param position {@code line} for CSV, {@code line:column} for JSON
 * @param message what is wrong, naming the value
 */
public record FeedProblem(String feed, String position, String message) {

    public FeedProblem {
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(message, "message");
    }

    /** {@code feed:position: message}, the way compilers report errors. */
    @Override
    public String toString() {
        return feed + ":" + position + ": " + message;
    }
}
