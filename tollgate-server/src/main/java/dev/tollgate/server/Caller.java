package dev.tollgate.server;

import java.util.Objects;

/** Who makes a request: today an API token; people arrive with the identity issue. */
public record Caller(String tokenId, String name, Role role) implements java.io.Serializable {

    public Caller {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    /** How the audit log and the records name this caller: {@code token:<id>}. */
    public String actor() {
        return "token:" + tokenId;
    }
}
