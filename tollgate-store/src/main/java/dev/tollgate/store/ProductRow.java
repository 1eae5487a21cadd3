package dev.tollgate.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A product as stored: what a vendor ships, vetted release after release. */
public record ProductRow(
        String id,
        String vendor,
        String name,
        Optional<String> vendorId,
        long maxReleaseBytes,
        String createdBy,
        Instant createdAt) {

    public ProductRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vendorId, "vendorId");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        if (maxReleaseBytes <= 0) {
            throw new IllegalArgumentException("maxReleaseBytes must be positive: " + maxReleaseBytes);
        }
    }
}
