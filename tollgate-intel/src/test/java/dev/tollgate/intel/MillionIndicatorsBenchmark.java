package dev.tollgate.intel;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Measures loading a million-indicator CSV feed (time, and heap retained by the index) and lookup cost. Run by {@code
 * bench/intel-million.sh}; not a test, so that no unit test depends on machine speed. Wall time includes waiting for a
 * shared CPU; the CPU time of the loading thread does not, and is the figure to compare between machines.
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
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = settledHeap(memory);
        long start = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        LoadedIntel intel = IntelFeeds.load(List.of(feed), Instant.now(), FeedLimits.DEFAULT);
        long loadCpuMillis = (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000;
        long loadMillis = (System.nanoTime() - start) / 1_000_000;
        long retained = settledHeap(memory) - before;
        System.out.printf(
                "loaded %,d indicators in %,d ms wall, %,d ms CPU (loading thread); the index retains %,d MB of heap%n",
                intel.feeds().getFirst().loaded(), loadMillis, loadCpuMillis, retained >> 20);

        IndicatorIndex index = intel.index();
        Random random = new Random(7);
        int lookups = 1_000_000;
        String[] shas = new String[lookups];
        String[] hosts = new String[lookups];
        for (int i = 0; i < lookups; i++) {
            shas[i] = (i % 100 == 0) ? samples[0] : MillionIndicatorFeed.hex(random, 32);
            hosts[i] = (i % 100 == 0) ? "cdn." + samples[1] : "host" + i + ".vendor.example";
        }
        int hits = 0;
        cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < lookups; i++) {
            hits += index.matchFileHash(IndicatorType.SHA256, shas[i]).size();
        }
        long hashNanos = threads.getCurrentThreadCpuTime() - cpu;
        cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < lookups; i++) {
            hits += index.matchDomain(hosts[i]).size();
        }
        long domainNanos = threads.getCurrentThreadCpuTime() - cpu;
        System.out.printf(
                "%,d SHA-256 lookups: %d ns CPU each; %,d domain lookups: %d ns CPU each (%,d hits)%n",
                lookups, hashNanos / lookups, lookups, domainNanos / lookups, hits);
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
