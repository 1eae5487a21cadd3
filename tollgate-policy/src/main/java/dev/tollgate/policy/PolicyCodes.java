package dev.tollgate.policy;

import dev.tollgate.model.FindingCode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * A policy names finding codes (under {@code severities}, in an allowance's {@code code}): each must be a code of the
 * catalog ({@link FindingCode}) or a family that holds at least one ({@code archive.*}). A typo such as
 * {@code signature.mising} would otherwise rate nothing, silently; it is a usage error naming the key, with the
 * nearest code as a suggestion.
 */
final class PolicyCodes {

    private PolicyCodes() {}

    /**
     * Why {@code code} names nothing Tollgate raises, or empty when it is a catalogued code or a family of some
     * ({@code archive.*}).
     */
    static Optional<String> whyUnknown(String code) {
        if (code.endsWith(".*")) {
            String prefix = code.substring(0, code.length() - 1);
            if (Arrays.stream(FindingCode.values()).anyMatch(c -> c.code().startsWith(prefix))) {
                return Optional.empty();
            }
            return Optional.of("'" + code + "' is no family of finding codes (see 'tollgate codes')");
        }
        if (FindingCode.of(code).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("'" + code + "' is not a finding code"
                + nearest(code).map(n -> "; did you mean " + n + "?").orElse("") + " (see 'tollgate codes')");
    }

    /** The catalogued code nearest to {@code code} by edit distance, when it is near enough to be a typo of it. */
    static Optional<String> nearest(String code) {
        return Arrays.stream(FindingCode.values())
                .map(FindingCode::code)
                .min(Comparator.comparingInt(c -> distance(c, code)))
                .filter(c -> distance(c, code) <= Math.max(2, code.length() / 5));
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
