package dev.tollgate.store;

import java.time.Instant;

/**
 * One entry of the audit log, a link of its hash chain.
 *
 * @param detailsJson a JSON object with what the action changed (never a secret)
 * @param prev the previous entry's hash (64 zeros for the first)
 * @param hash {@link AuditLog#hash} of this entry
 */
public record AuditEntry(
        long seq,
        Instant at,
        String actor,
        String action,
        String subject,
        String detailsJson,
        String prev,
        String hash) {}
