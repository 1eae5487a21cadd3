package dev.tollgate.store;

import java.time.Instant;
import java.util.Optional;

/** An API token as stored: its SHA-256 only, never the token. */
public record TokenRow(
        String id,
        String name,
        String role,
        String tokenSha256,
        String createdBy,
        Instant createdAt,
        Optional<Instant> expiresAt,
        Optional<Instant> lastUsedAt,
        boolean revoked) {}
