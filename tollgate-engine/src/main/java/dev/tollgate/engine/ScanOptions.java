package dev.tollgate.engine;

import dev.tollgate.formats.archive.Limits;
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
 * @param limits how far containers are unpacked (total bytes, ratio, entries, nesting depth, ...)
 * @param cache where scans store what a later diff needs about its previous release, and where a diff finds it
 */
public record ScanOptions(
        TrustAnchors trust,
        Policy policy,
        List<FileAnalyzer> analyzers,
        int threads,
        ScanProgress progress,
        Limits limits,
        ScanCache cache) {

    public static final int MAX_THREADS = 256;

    public ScanOptions {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(cache, "cache");
        analyzers = List.copyOf(analyzers);
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be within 1.." + MAX_THREADS + ": " + threads);
        }
    }

    /** No trust anchors, the default policy, no analyzers, one thread per core, no progress, no cache. */
    public static ScanOptions defaults() {
        return new ScanOptions(
                TrustAnchors.of(List.of()),
                Policy.defaults(),
                List.of(),
                Math.clamp(Runtime.getRuntime().availableProcessors(), 1, MAX_THREADS),
                ScanProgress.NONE,
                Limits.defaults(),
                ScanCache.none());
    }

    public ScanOptions withTrust(TrustAnchors newTrust) {
        return new ScanOptions(newTrust, policy, analyzers, threads, progress, limits, cache);
    }

    public ScanOptions withPolicy(Policy newPolicy) {
        return new ScanOptions(trust, newPolicy, analyzers, threads, progress, limits, cache);
    }

    public ScanOptions withAnalyzers(List<FileAnalyzer> newAnalyzers) {
        return new ScanOptions(trust, policy, newAnalyzers, threads, progress, limits, cache);
    }

    public ScanOptions withThreads(int newThreads) {
        return new ScanOptions(trust, policy, analyzers, newThreads, progress, limits, cache);
    }

    public ScanOptions withProgress(ScanProgress newProgress) {
        return new ScanOptions(trust, policy, analyzers, threads, newProgress, limits, cache);
    }

    /** Unpacking limits for containers (total bytes, ratio, entries, nesting depth, ...). */
    public ScanOptions withLimits(Limits newLimits) {
        return new ScanOptions(trust, policy, analyzers, threads, progress, newLimits, cache);
    }

    /** The scan cache: {@code scan} and {@code diff} store into it, {@code diff} reads its previous release from it. */
    public ScanOptions withCache(ScanCache newCache) {
        return new ScanOptions(trust, policy, analyzers, threads, progress, limits, newCache);
    }
}
