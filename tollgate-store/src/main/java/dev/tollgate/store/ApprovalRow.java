package dev.tollgate.store;

import java.time.Instant;

/** One decision on a release by one actor: {@code approve} or {@code reject}, with the reason given. */
public record ApprovalRow(
        String id, String releaseId, String decidedBy, String decision, String reason, Instant decidedAt) {}
