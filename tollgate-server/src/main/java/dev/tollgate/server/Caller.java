package dev.tollgate.server;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who makes a request: an API token (one role) or a person logged in with a browser session (their roles, and when
 * they last gave their second factor, for step-up).
 *
 * @param id the token's or the user's id
 * @param person true for a user's browser session, false for an API token
 * @param lastSecondFactor when a person last gave a second factor; empty for a token
 */
public record Caller(String id, String name, Set<Role> roles, boolean person, Optional<Instant> lastSecondFactor) {

    public Caller {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a caller has at least one role");
        }
        Objects.requireNonNull(lastSecondFactor, "lastSecondFactor");
    }

    /** An API token's caller. */
    public static Caller token(String tokenId, String name, Role role) {
        return new Caller(tokenId, name, EnumSet.of(role), false, Optional.empty());
    }

    /** A person's caller, from their browser session. */
    public static Caller person(String userId, String username, Set<Role> roles, Instant lastSecondFactor) {
        return new Caller(userId, username, roles, true, Optional.of(lastSecondFactor));
    }

    public boolean permits(Permission permission) {
        return roles.stream().anyMatch(r -> r.permits(permission));
    }

    /** The roles as labels, sorted: {@code admin,approver}. */
    public String roleLabels() {
        return roles.stream().map(Role::label).sorted().collect(Collectors.joining(","));
    }

    /** How the audit log and the records name this caller: {@code token:<id>} or {@code user:<id>}. */
    public String actor() {
        return (person ? "user:" : "token:") + id;
    }
}
