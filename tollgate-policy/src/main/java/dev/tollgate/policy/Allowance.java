package dev.tollgate.policy;

import dev.tollgate.model.Finding;
import dev.tollgate.model.Severity;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A policy's accepted risk: findings with a code (or code family {@code prefix.*}) on files matching a pattern are
 * lowered to {@code info} until the expiry date, with the reason kept in the finding. An expired allowance no longer
 * applies, so accepted risks are reviewed rather than forgotten.
 */
record Allowance(String code, FileGlob files, String reason, LocalDate expires) {

    Allowance {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(expires, "expires");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("an allowance needs a reason");
        }
    }

    boolean expiredOn(LocalDate today) {
        return today.isAfter(expires);
    }

    boolean covers(Finding f) {
        boolean codeMatches = code.endsWith(".*")
                ? f.code().startsWith(code.substring(0, code.length() - 1))
                : f.code().equals(code);
        return codeMatches && files.matches(f.path());
    }

    Finding apply(Finding f) {
        Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
        evidence.put("allowedBecause", reason);
        evidence.put("allowedUntil", expires.toString());
        evidence.put("originalSeverity", f.severity().label());
        return new Finding(
                f.code(),
                Severity.INFO,
                f.path(),
                f.message() + " [allowed until " + expires + ": " + reason + "]",
                evidence);
    }
}
