package dev.tollgate.server;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The roles of DESIGN.md ("Server contracts", People), each with the least it needs. */
public enum Role {
    ADMIN(EnumSet.allOf(Permission.class)),
    /** Decides held and blocked releases. */
    APPROVER(EnumSet.of(
            Permission.SELF_READ,
            Permission.PRODUCT_READ,
            Permission.RELEASE_READ,
            Permission.RELEASE_DECIDE,
            Permission.ALERT_READ,
            Permission.ALERT_ACKNOWLEDGE,
            Permission.INTEL_READ)),
    /** Works the alerts. */
    ANALYST(EnumSet.of(
            Permission.SELF_READ,
            Permission.PRODUCT_READ,
            Permission.RELEASE_READ,
            Permission.ALERT_READ,
            Permission.ALERT_ACKNOWLEDGE,
            Permission.INTEL_READ,
            Permission.INTEL_IMPORT)),
    /** Reads everything, changes nothing. */
    AUDITOR(EnumSet.of(
            Permission.SELF_READ,
            Permission.PRODUCT_READ,
            Permission.RELEASE_READ,
            Permission.ALERT_READ,
            Permission.AUDIT_READ,
            Permission.INTEL_READ)),
    /** A deployment pipeline: submits releases and reads their results. */
    SUBMITTER(EnumSet.of(
            Permission.SELF_READ, Permission.PRODUCT_READ, Permission.RELEASE_READ, Permission.RELEASE_SUBMIT));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    public boolean permits(Permission permission) {
        return permissions.contains(permission);
    }

    /** {@code admin}, as stored and as the API spells it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromLabel(String label) {
        for (Role role : values()) {
            if (role.label().equals(label)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
