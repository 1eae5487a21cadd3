package dev.tollgate.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A person who logs in with a password and a TOTP second factor.
 *
 * @param passwordHash Argon2id in the PHC string format
 * @param roles role labels ({@code admin}, {@code approver}, ...)
 * @param totpSecretCiphertext the TOTP secret sealed by the server's key, once generated
 * @param totpLastStep the last 30-second step whose code was accepted, so that each code works once
 */
public record UserRow(
        String id,
        String username,
        String passwordHash,
        List<String> roles,
        Optional<String> totpSecretCiphertext,
        boolean totpEnrolled,
        long totpLastStep,
        int failedLogins,
        Optional<Instant> lockedUntil,
        String createdBy,
        Instant createdAt) {

    public UserRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        roles = List.copyOf(roles);
        Objects.requireNonNull(totpSecretCiphertext, "totpSecretCiphertext");
        Objects.requireNonNull(lockedUntil, "lockedUntil");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
