package dev.tollgate.store;

import java.time.Instant;

/** An imported intel feed: what it loaded (new indicators), skipped, and named again (already stored). */
public record IntelFeedRow(
        String id,
        String name,
        String format,
        String sha256,
        int loaded,
        int skipped,
        int duplicates,
        String createdBy,
        Instant createdAt) {}
