package dev.tollgate.intel;

import java.util.Objects;

/** A feed could not be read at all: not the format, unreadable, or over a limit. The message names file and position. */
public final class IntelFeedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String feed;
    private final String position;

    public IntelFeedException(String feed, String position, String problem) {
        super(feed + (position.isEmpty() ? "" : ":" + position) + ": " + problem);
        this.feed = Objects.requireNonNull(feed, "feed");
        this.position = Objects.requireNonNull(position, "position");
    }

    /** The feed's file name. */
    public String feed() {
        return feed;
    }

    /** {@code line} or {@code line:column}, or empty when the problem is the whole file. */
    public String position() {
        return position;
    }
}
