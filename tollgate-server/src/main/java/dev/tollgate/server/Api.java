package dev.tollgate.server;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;

/**
 * The API's request and response bodies (DESIGN.md, "Server contracts"): separate from the stored rows, so that the
 * schema and the contract change apart. Times are RFC 3339 UTC; absent values are {@code null}.
 */
final class Api {

    private Api() {}

    /** {@code {items, next}}: {@code next} is the cursor of the next page, {@code null} on the last. */
    record ListPage<T>(List<T> items, String next) {}

    record CreateToken(String name, String role, Instant expiresAt) {}

    record CreateUser(String username, String password, java.util.List<String> roles) {}

    record UserCreated(String id, String username, java.util.List<String> roles, Instant createdAt) {}

    /** A logged-in person: {@code csrfToken} goes in {@code X-CSRF-TOKEN} on their JSON and multipart requests. */
    record Me(String username, java.util.List<String> roles, String csrfToken) {}

    record TokenCreated(String id, String token, String name, String role, Instant expiresAt) {}

    record CreateProduct(String vendor, String name, String vendorId, Long maxReleaseBytes) {}

    record Product(String id, String vendor, String name, String vendorId, long maxReleaseBytes, Instant createdAt) {}

    record TrustAnchor(String id, String subject, String thumbprintSha256, Instant createdAt) {}

    record TrustAnchorsAdded(String productId, List<TrustAnchor> added, List<TrustAnchor> trustAnchors) {}

    record PolicySet(String productId, String sha256, Instant updatedAt) {}

    record ReleaseAccepted(String id, String status) {}

    record Finding(
            String code,
            String severity,
            String path,
            String message,
            @JsonRawValue String evidence) {}

    record Approval(String id, String decision, String reason, String decidedBy, Instant decidedAt) {}

    record Release(
            String id,
            String productId,
            String version,
            String status,
            String verdict,
            String approval,
            String previousId,
            String fileName,
            String sha256,
            long size,
            String submittedBy,
            String failure,
            Instant createdAt,
            Instant completedAt,
            List<Approval> approvals,
            List<Finding> findings,
            @JsonRawValue String report) {}

    record ReleaseSummary(
            String id,
            String productId,
            String version,
            String status,
            String verdict,
            String approval,
            String previousId,
            String sha256,
            Instant createdAt) {}

    record Decide(String decision, String reason) {}

    record Decided(String id, String releaseId, String decision, String reason, String decidedBy, String approval) {}

    record AuditEntry(
            long seq,
            Instant time,
            String actor,
            String action,
            String subject,
            @JsonRawValue String details,
            String prev,
            String hash) {}

    record Alert(
            String id,
            String code,
            String severity,
            Instant createdAt,
            String status,
            String releaseId,
            String hostId,
            String path,
            String indicator,
            String message,
            String acknowledgedBy,
            Instant acknowledgedAt) {}

    /** {@code alreadyKnown}: indicators of the feed that were stored before (not loaded again, not hunted again). */
    record FeedImported(String id, int loaded, int skipped, int alreadyKnown, String format) {}

    record Feed(
            String id,
            String name,
            String format,
            String sha256,
            int loaded,
            int skipped,
            int alreadyKnown,
            String createdBy,
            Instant createdAt) {}

    record Acknowledge(String note) {}

    record CreateWebhook(String url, String secret, String format) {}

    /** A webhook as shown: never its secret. */
    record Webhook(String id, String url, String format, String createdBy, Instant createdAt) {}
}
