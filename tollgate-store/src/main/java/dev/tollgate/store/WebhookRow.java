package dev.tollgate.store;

import java.time.Instant;

/** A webhook: where alerts are posted, in which format, with its signing secret sealed (never in clear). */
public record WebhookRow(
        String id, String url, String secretCiphertext, String format, String createdBy, Instant createdAt) {}
