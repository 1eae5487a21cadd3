package dev.tollgate.model;

import java.util.Locale;

/** How a file of the new release relates to the previous release. */
public enum ChangeKind {
    /** Only in the new release. */
    ADDED,
    /** Only in the previous release. */
    REMOVED,
    /** Same place in both releases, different content. */
    CHANGED,
    /** Same content at another place (a move or rename). */
    MOVED,
    /** Same place, same content. */
    UNCHANGED;

    /** The lower-case name used in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
