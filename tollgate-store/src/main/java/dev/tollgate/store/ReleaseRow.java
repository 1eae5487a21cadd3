package dev.tollgate.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A release as stored, without its report (which can be megabytes: {@link ReleaseRepository#reportJson}).
 *
 * @param verdict {@code allow}, {@code hold} or {@code block} once vetted
 * @param failure why the vetting failed, for a person
 */
public record ReleaseRow(
        String id,
        String productId,
        String version,
        String fileName,
        String blobSha256,
        long sizeBytes,
        ReleaseStatus status,
        Optional<String> verdict,
        ApprovalState approval,
        Optional<String> previousId,
        String submittedBy,
        Optional<String> failure,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> completedAt) {

    public ReleaseRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(blobSha256, "blobSha256");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(previousId, "previousId");
        Objects.requireNonNull(submittedBy, "submittedBy");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(completedAt, "completedAt");
    }

    /** A release just uploaded, waiting for a worker. */
    public static ReleaseRow queued(
            String id,
            String productId,
            String version,
            String fileName,
            String blobSha256,
            long sizeBytes,
            String submittedBy,
            Instant createdAt) {
        return new ReleaseRow(
                id,
                productId,
                version,
                fileName,
                blobSha256,
                sizeBytes,
                ReleaseStatus.QUEUED,
                Optional.empty(),
                ApprovalState.PENDING,
                Optional.empty(),
                submittedBy,
                Optional.empty(),
                createdAt,
                Optional.empty(),
                Optional.empty());
    }
}
