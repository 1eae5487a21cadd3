package dev.tollgate.engine;

import dev.tollgate.analysis.FileAnalyzer;
import dev.tollgate.formats.archive.Limits;
import dev.tollgate.formats.archive.SpoolMemory;
import dev.tollgate.policy.Policy;
import dev.tollgate.signatures.TrustAnchors;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

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
 * @param executor where files are vetted: the caller's pool, shared by every engine it creates (a server's one pool
 *     for all jobs), or empty for a pool of {@code threads} made per scan
 * @param spoolMemory the heap allowance for unpacked entries, shared by every engine given the same one; empty for one
 *     per engine
 */
public record ScanOptions(
        TrustAnchors trust,
        Policy policy,
        List<FileAnalyzer> analyzers,
        int threads,
        ScanProgress progress,
        Limits limits,
        ScanCache cache,
        Optional<ExecutorService> executor,
        Optional<SpoolMemory> spoolMemory) {

    public static final int MAX_THREADS = 256;

    public ScanOptions {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(spoolMemory, "spoolMemory");
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
                ScanCache.none(),
                Optional.empty(),
                Optional.empty());
    }

    public ScanOptions withTrust(TrustAnchors newTrust) {
        return new ScanOptions(newTrust, policy, analyzers, threads, progress, limits, cache, executor, spoolMemory);
    }

    public ScanOptions withPolicy(Policy newPolicy) {
        return new ScanOptions(trust, newPolicy, analyzers, threads, progress, limits, cache, executor, spoolMemory);
    }

    public ScanOptions withAnalyzers(List<FileAnalyzer> newAnalyzers) {
        return new ScanOptions(trust, policy, newAnalyzers, threads, progress, limits, cache, executor, spoolMemory);
    }

    public ScanOptions withThreads(int newThreads) {
        return new ScanOptions(trust, policy, analyzers, newThreads, progress, limits, cache, executor, spoolMemory);
    }

    public ScanOptions withProgress(ScanProgress newProgress) {
        return new ScanOptions(trust, policy, analyzers, threads, newProgress, limits, cache, executor, spoolMemory);
    }

    /** Unpacking limits for containers (total bytes, ratio, entries, nesting depth, ...). */
    public ScanOptions withLimits(Limits newLimits) {
        return new ScanOptions(trust, policy, analyzers, threads, progress, newLimits, cache, executor, spoolMemory);
    }

    /** The scan cache: {@code scan} and {@code diff} store into it, {@code diff} reads its previous release from it. */
    public ScanOptions withCache(ScanCache newCache) {
        return new ScanOptions(trust, policy, analyzers, threads, progress, limits, newCache, executor, spoolMemory);
    }

    /**
     * Vets files on {@code pool} instead of a pool made per scan: the caller owns it (and shuts it down); its size bounds
     * how many files are vetted at once across every engine that shares it. Its threads must not themselves wait for a
     * scan on the same pool.
     */
    public ScanOptions withExecutor(ExecutorService pool) {
        return new ScanOptions(
                trust, policy, analyzers, threads, progress, limits, cache, Optional.of(pool), spoolMemory);
    }

    /** One heap allowance for unpacked entries, shared by every engine given it (larger entries go to disk). */
    public ScanOptions withSpoolMemory(SpoolMemory memory) {
        return new ScanOptions(
                trust, policy, analyzers, threads, progress, limits, cache, executor, Optional.of(memory));
    }
}
