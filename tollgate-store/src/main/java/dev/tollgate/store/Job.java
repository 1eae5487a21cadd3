package dev.tollgate.store;

import java.time.Instant;

/**
 * A job claimed by a worker.
 *
 * @param attempts how many times the job was claimed, this claim included
 * @param leaseOwner the claim's owner: every later change of the job names it, so that a worker whose lease ran out
 *     and was taken by another cannot complete, retry or fail the job any more
 */
public record Job(
        String id,
        String kind,
        String payload,
        int attempts,
        int maxAttempts,
        String leaseOwner,
        Instant leaseExpiresAt) {

    /** Whether this claim is past the attempts allowed (the previous ones died without saying so). */
    public boolean exhausted() {
        return attempts > maxAttempts;
    }
}
