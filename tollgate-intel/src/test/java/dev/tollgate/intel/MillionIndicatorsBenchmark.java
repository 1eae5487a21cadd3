package dev.tollgate.intel;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Measures loading a million-indicator CSV feed (time, and heap retained by the index) and lookup throughput. Run by
 * {@code bench/intel-million.sh}; not a test, so that no unit test depends on machine speed.
 */
public final class MillionIndicatorsBenchmark {

    private MillionIndicatorsBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("tollgate-intel-bench");
        Path feed = dir.resolve("million.csv");
        long generate = System.nanoTime();
        String[] samples = MillionIndicatorFeed.write(feed, 42);
        System.out.printf(
                "generated %,d indicators (%,d bytes) in %d ms%n",
                MillionIndicatorFeed.TOTAL, Files.size(feed), (System.nanoTime() - generate) / 1_000_000);

        // a warm-up load, so the measured one is not mostly class loading and JIT
        IntelFeeds.load(List.of(feed), Instant.now(), FeedLimits.DEFAULT);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = settledHeap(memory);
        long start = System.nanoTime();
        LoadedIntel intel = IntelFeeds.load(List.of(feed), Instant.now(), FeedLimits.DEFAULT);
        long loadMillis = (System.nanoTime() - start) / 1_000_000;
        long retained = settledHeap(memory) - before;
        System.out.printf(
                "loaded %,d indicators in %,d ms; index retains %,d MB of heap%n",
                intel.feeds().getFirst().loaded(), loadMillis, retained >> 20);

        IndicatorIndex index = intel.index();
        Random random = new Random(7);
        int lookups = 1_000_000;
        int hits = 0;
        start = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            String sha = (i % 100 == 0) ? samples[0] : MillionIndicatorFeed.hex(random, 32);
            hits += index.matchFileHash(IndicatorType.SHA256, sha).size();
        }
        long hashNanos = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            hits += index.matchDomain((i % 100 == 0) ? "cdn." + samples[1] : "host" + i + ".vendor.example")
                    .size();
        }
        long domainNanos = System.nanoTime() - start;
        System.out.printf(
                "%,d SHA-256 lookups: %d ns each; %,d domain lookups: %d ns each (%,d hits)%n",
                lookups, hashNanos / lookups, lookups, domainNanos / lookups, hits);
        if (index.size() == 0) {
            throw new IllegalStateException("nothing loaded");
        }
        Files.delete(feed);
        Files.delete(dir);
    }

    private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
