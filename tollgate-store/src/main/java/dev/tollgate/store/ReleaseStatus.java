package dev.tollgate.store;

import java.util.Locale;

/** Where a release is in the pipeline. */
public enum ReleaseStatus {
    QUEUED,
    ANALYSING,
    DONE,
    FAILED;

    /** The lower-case name used in the database and the API. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ReleaseStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
