package dev.tollgate.store;

import java.util.Locale;

/** Whether a release may be deployed: only approved releases are the baseline of the next diff. */
public enum ApprovalState {
    APPROVED,
    PENDING,
    REJECTED;

    /** The lower-case name used in the database and the API. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ApprovalState of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
