package dev.tollgate.intel;

/** The indicator feed formats Tollgate reads. */
public enum FeedFormat {
    /** A STIX 2.1 bundle of indicator objects with STIX patterns (STIX 2.1 section 8). */
    STIX("stix"),
    /** A MISP event in MISP's JSON format. */
    MISP("misp"),
    /** A CSV ({@code type,value[,description]}) or tab-separated ({@code type value note source}) list. */
    CSV("csv");

    private final String label;

    FeedFormat(String label) {
        this.label = label;
    }

    /** The lower-case name used in messages and evidence. */
    public String label() {
        return label;
    }
}
