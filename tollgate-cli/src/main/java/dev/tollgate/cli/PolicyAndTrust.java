package dev.tollgate.cli;

import dev.tollgate.engine.ScanOptions;
import dev.tollgate.formats.archive.Limits;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.PolicyException;
import dev.tollgate.policy.PolicyLoader;
import dev.tollgate.signatures.TrustAnchors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.ParameterException;

/**
 * The options every vetting command shares, turned into {@link ScanOptions}: {@code --threads}, {@code --policy} (with
 * its unpacking limits) and {@code --trust} (with the JDK's roots and the configured trust store). Each problem is a usage error naming the file.
 */
final class PolicyAndTrust {

    private PolicyAndTrust() {}

    /**
     * Applies {@code --limit NAME=VALUE} settings in order, over the defaults and the policy's {@code limits}: the
     * command line is the more specific choice, so it wins.
     */
    static ScanOptions applyLimits(
            ScanOptions options, List<String> settings, Function<String, ParameterException> usage) {
        Limits limits = options.limits();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw usage.apply("--limit " + setting + ": expected NAME=VALUE, e.g. --limit maxDepth=12 (names: "
                        + String.join(", ", Limits.NAMES) + ")");
            }
            try {
                limits = limits.with(setting.substring(0, eq).strip(), setting.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw usage.apply("--limit " + Terminal.oneLine(e.getMessage()));
            }
        }
        return options.withLimits(limits);
    }

    static ScanOptions apply(
            ScanOptions options,
            Optional<Integer> threads,
            Optional<Path> policy,
            List<Path> trust,
            Function<String, ParameterException> usage) {
        ScanOptions result = options;
        if (threads.isPresent()) {
            int n = threads.get();
            if (n < 1 || n > ScanOptions.MAX_THREADS) {
                throw usage.apply("--threads must be between 1 and " + ScanOptions.MAX_THREADS + ", got " + n);
            }
            result = result.withThreads(n);
        }
        try {
            Policy loaded = policy.isEmpty() ? Policy.defaults() : PolicyLoader.load(policy.get());
            result = result.withPolicy(loaded).withLimits(loaded.limits(result.limits()));
        } catch (PolicyException e) {
            throw usage.apply(e.getMessage());
        }
        for (Path pem : trust) {
            if (!Files.isRegularFile(pem)) {
                throw usage.apply("--trust " + pem + ": no such file");
            }
        }
        try {
            // The JDK's roots, the configured trust store ($TOLLGATE_TRUST_ROOTS or the XDG file) and --trust PEMs.
            return result.withTrust(TrustAnchors.standard(trust));
        } catch (NoSuchFileException e) {
            throw usage.apply(
                    "trust store " + e.getFile() + ": " + (e.getReason() == null ? "no such file" : e.getReason()));
        } catch (IOException e) {
            throw usage.apply("--trust " + Terminal.oneLine(String.valueOf(e.getMessage())));
        }
    }
}
