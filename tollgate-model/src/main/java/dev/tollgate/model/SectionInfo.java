package dev.tollgate.model;

import java.util.Objects;

/** A PE section as a report shows it. */
public record SectionInfo(
        String name, long virtualSize, long rawSize, long characteristics, boolean executable, double entropy) {

    public SectionInfo {
        Objects.requireNonNull(name, "name");
    }
}
