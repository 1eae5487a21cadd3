package dev.tollgate.store;

import java.time.Instant;
import java.util.Optional;

/** An alert (DESIGN.md, "Server contracts": alerts), with who acknowledged it. */
public record AlertRow(
        String id,
        String code,
        String severity,
        String status,
        Optional<String> releaseId,
        Optional<String> hostId,
        Optional<String> path,
        Optional<String> indicator,
        String message,
        Instant createdAt,
        Optional<String> acknowledgedBy,
        Optional<Instant> acknowledgedAt) {}
