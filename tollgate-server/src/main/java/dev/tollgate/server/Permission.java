package dev.tollgate.server;

import java.util.Locale;

/** What a route lets its caller do; every route names one ({@link RequiresPermission}). */
public enum Permission {
    TOKEN_CREATE,
    USER_WRITE,
    /** Who am I: every role has it. */
    SELF_READ,
    PRODUCT_READ,
    PRODUCT_WRITE,
    RELEASE_READ,
    RELEASE_SUBMIT,
    RELEASE_DECIDE,
    ALERT_READ,
    ALERT_ACKNOWLEDGE,
    AUDIT_READ,
    INTEL_READ,
    INTEL_IMPORT,
    WEBHOOK_WRITE;

    /** {@code release:decide}, as problems and the OpenAPI document name it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replaceFirst("_", ":").replace('_', '-');
    }
}
