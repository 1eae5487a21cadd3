package dev.tollgate.intel;

import java.util.Objects;
import java.util.Optional;

/**
 * Where an indicator came from, as a finding's evidence names it. Many indicators share one source (every comparison of
 * one STIX indicator, every attribute of one MISP object), so the index stores each distinct source once.
 *
 * @param feed the feed's file name
 * @param format the feed's format
 * @param name what the feed calls it: the STIX indicator's name, the MISP event's info, a CSV description
 * @param id the feed's identifier for it: a STIX {@code indicator--uuid} or a MISP attribute UUID; empty for CSV
 * @param author who published it: the STIX {@code created_by_ref} identity's name, the MISP event's creator org, the
 *     TSV source column
 * @param description a longer description when the feed gives one
 */
public record IndicatorSource(
        String feed,
        FeedFormat format,
        String name,
        Optional<String> id,
        Optional<String> author,
        Optional<String> description) {

    public IndicatorSource {
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(description, "description");
    }

    /** True when {@link #id()} is a STIX indicator id that a sighting can refer to. */
    public boolean hasStixId() {
        return format == FeedFormat.STIX && id.isPresent() && id.get().startsWith("indicator--");
    }
}
