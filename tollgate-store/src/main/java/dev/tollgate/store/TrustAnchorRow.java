package dev.tollgate.store;

import java.time.Instant;

/** A root certificate trusted for one product's releases, as PEM text. */
public record TrustAnchorRow(
        String id,
        String productId,
        String subject,
        String thumbprintSha256,
        String pem,
        String createdBy,
        Instant createdAt) {}
