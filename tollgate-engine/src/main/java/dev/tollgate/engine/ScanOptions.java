package dev.tollgate.engine;

import java.util.List;
import java.util.Objects;

/**
 * How a scan runs. Start from {@link #defaults()} and change what you need with the {@code with*} methods.
 *
 * @param trust the roots signer chains must end at
 * @param policy turns findings into the verdict
 * @param analyzers checks run on every file after profiling and PE inspection, in this order (intel, YARA, ...)
 * @param threads how many files are vetted at once, 1 to {@link #MAX_THREADS}
 * @param progress told after each file
 */
public record ScanOptions(
        TrustAnchors trust, Policy policy, List<FileAnalyzer> analyzers, int threads, ScanProgress progress) {

    public static final int MAX_THREADS = 256;

    public ScanOptions {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(progress, "progress");
        analyzers = List.copyOf(analyzers);
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be within 1.." + MAX_THREADS + ": " + threads);
        }
    }

    /** No trust anchors, the default policy, no analyzers, one thread per core, no progress. */
    public static ScanOptions defaults() {
        return new ScanOptions(
                TrustAnchors.of(List.of()),
                Policy.defaults(),
                List.of(),
                Math.clamp(Runtime.getRuntime().availableProcessors(), 1, MAX_THREADS),
                ScanProgress.NONE);
    }

    public ScanOptions withTrust(TrustAnchors newTrust) {
        return new ScanOptions(newTrust, policy, analyzers, threads, progress);
    }

    public ScanOptions withPolicy(Policy newPolicy) {
        return new ScanOptions(trust, newPolicy, analyzers, threads, progress);
    }

    public ScanOptions withAnalyzers(List<FileAnalyzer> newAnalyzers) {
        return new ScanOptions(trust, policy, newAnalyzers, threads, progress);
    }

    public ScanOptions withThreads(int newThreads) {
        return new ScanOptions(trust, policy, analyzers, newThreads, progress);
    }

    public ScanOptions withProgress(ScanProgress newProgress) {
        return new ScanOptions(trust, policy, analyzers, threads, newProgress);
    }
}
