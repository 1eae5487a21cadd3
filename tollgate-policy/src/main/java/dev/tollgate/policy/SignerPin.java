package dev.tollgate.policy;

import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * A policy's expectation of who signs some files: a file matching {@link #files} must carry a signature that satisfies
 * one of the pin's three kinds of evidence:
 *
 * <ul>
 *   <li>a signing certificate with one of the pinned SHA-256 {@link #thumbprints}: the key itself is pinned, so a
 *       cryptographically sound signature (valid, or untrusted only for want of a trust anchor) is enough;
 *   <li>a signing certificate issued by one of the pinned {@link #issuers} names, in a signature that chains to a
 *       trust anchor: a name alone proves nothing, since anyone can make a CA with the vendor's CA's name;
 *   <li>a chain to one of the pinned {@link #roots} (SHA-256 thumbprints of trust anchors), in a valid signature.
 * </ul>
 *
 * A lookalike certificate with the vendor's subject name but another key or CA fails the pin. Violations are
 * {@code policy.unexpected-signer} findings (high).
 */
record SignerPin(FileGlob files, Set<String> thumbprints, List<X500Principal> issuers, Set<String> roots) {

    SignerPin {
        thumbprints = Set.copyOf(thumbprints);
        issuers = List.copyOf(issuers);
        roots = Set.copyOf(roots);
        if (thumbprints.isEmpty() && issuers.isEmpty() && roots.isEmpty()) {
            throw new IllegalArgumentException("a signer pin needs thumbprints, issuers or roots");
        }
    }

    static String normaliseThumbprint(String hex) {
        String h = hex.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (!h.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("'" + hex + "' is not a SHA-256 thumbprint (64 hex digits)");
        }
        return h;
    }

    /** The violation for {@code file}, if it matches this pin and no acceptable signature satisfies it. */
    Optional<Finding> check(FileRecord file) {
        if (!files.matches(file.path())) {
            return Optional.empty();
        }
        for (SignatureInfo s : file.signatures()) {
            boolean valid = s.status() == SignatureStatus.VALID;
            boolean sound = valid || s.status() == SignatureStatus.UNTRUSTED;
            if ((sound && thumbprints.contains(s.thumbprintSha256()))
                    || (valid && issuedByPinned(s.issuer()))
                    || (valid && roots.contains(s.rootThumbprintSha256()))) {
                return Optional.empty();
            }
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("pattern", files.pattern());
        evidence.put("expectedThumbprints", thumbprints.stream().sorted().toList());
        evidence.put(
                "expectedIssuers", issuers.stream().map(X500Principal::getName).toList());
        evidence.put("expectedRoots", roots.stream().sorted().toList());
        evidence.put(
                "actualSigners",
                file.signatures().stream()
                        .map(s -> s.signer() + " (issuer " + s.issuer() + ", "
                                + s.status().label() + ", sha256 " + s.thumbprintSha256()
                                + (s.rootThumbprintSha256().isEmpty() ? "" : ", root " + s.rootThumbprintSha256())
                                + ")")
                        .toList());
        String message = file.signatures().isEmpty()
                ? "policy expects a signature by a pinned signer (" + files.pattern() + "), but the file is unsigned"
                : "signed by " + file.signatures().getFirst().signer() + " (issuer "
                        + file.signatures().getFirst().issuer() + "), not by a signer the policy pins for "
                        + files.pattern();
        return Optional.of(Finding.of(FindingCode.POLICY_UNEXPECTED_SIGNER, file.path(), message, evidence));
    }

    private boolean issuedByPinned(String issuer) {
        try {
            X500Principal actual = new X500Principal(issuer);
            return issuers.contains(actual);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
