package dev.tollgate.engine;

import dev.tollgate.formats.ByteView;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Inspects a PE file: parses it, verifies every Authenticode signature against the trust anchors, and reports tamper
 * findings ({@code signature.*}, {@code pe.*}). Thread-safe; one instance serves a whole scan.
 */
public final class PeInspector {

    private final TrustAnchors trust;

    public PeInspector(TrustAnchors trust) {
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /** Inspects {@code content}, reported under {@code path}. Never throws for malformed input: that is a finding. */
    public PeInspection inspect(String path, ByteView content) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(trust);
        // Placeholder until the PE parser and the Authenticode verifier land (issue 2).
        return new PeInspection(Optional.empty(), List.of(), List.of());
    }
}
