package dev.tollgate.store;

/**
 * A stored indicator that matches a stored file of a vetted release.
 *
 * @param observed what of the file matched: its hash, the domain or URL it names, its signer
 */
public record IntelHit(
        String releaseFileId,
        String releaseId,
        String path,
        long indicatorId,
        String indicatorType,
        String indicatorValue,
        String feedId,
        String observed) {}
