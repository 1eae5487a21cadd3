package dev.tollgate.yara;

import static dev.tollgate.yara.TestData.TAG;
import static dev.tollgate.yara.TestData.bytes;
import static dev.tollgate.yara.TestData.path;
import static dev.tollgate.yara.TestData.withAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.analysis.AnalysisException;
import dev.tollgate.formats.ByteView;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Slower checks: timeouts, many threads on one set of rules, and no native leak across many cycles. */
@SuppressWarnings("restricted") // mallinfo2 through FFM, to measure native memory
class YaraScanIT {

    private static final String SLOW_RULE =
            "rule slow { condition: for all i in (0..filesize - 1) : ( for all j in (0..7) : (uint8(i) + j < 300) ) }";

    @Test
    void reportsATimeoutInsteadOfDroppingTheFile() throws Exception {
        try (YaraRules rules = YaraRules.builder().addSource("slow", SLOW_RULE).compile()) {
            byte[] data = new byte[16_000_000];
            long start = System.nanoTime();

            assertThatThrownBy(() -> rules.scan(bytes(data), Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(YaraScanException.class, e -> {
                        assertThat(e.isTimeout()).isTrue();
                        assertThat(e.errorName()).isEqualTo("ERROR_SCAN_TIMEOUT");
                    })
                    .hasMessage("scan timed out after 1 s (ERROR_SCAN_TIMEOUT)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

            assertThatThrownBy(() -> YaraAnalyzer.of(rules, Duration.ofMillis(300))
                            .analyze(YaraAnalyzerTest.record("big.bin", data.length), ByteView.of(data)))
                    .isInstanceOf(AnalysisException.class)
                    .hasMessage("big.bin: YARA scan timed out (ERROR_SCAN_TIMEOUT)");
        }
    }

    @Test
    void marksEvidenceTruncatedWhenLibyaraStopsRecordingMatches() throws Exception {
        // libyara keeps at most YR_MAX_STRING_MATCHES (1000000) matches per string, then reports
        // CALLBACK_MSG_TOO_MANY_MATCHES and goes on without them.
        try (YaraRules rules = YaraRules.builder()
                .addSource("many", "rule many { strings: $z = { 00 00 } condition: $z }")
                .compile()) {
            YaraMatch m = rules.scan(bytes(new byte[1_100_000]), Duration.ofSeconds(60))
                    .getFirst();

            assertThat(m.truncated()).isTrue();
            assertThat(m.strings()).hasSize(YaraRules.MAX_MATCHES_PER_STRING);
        }
    }

    @Test
    void scansFromMoreThreadsThanYrMaxThreadsOnOneRuleSet() throws Exception {
        int threads = 48; // above the YR_MAX_THREADS (32) of libyara 3.x, which 4.2 no longer enforces
        int perThread = 200;
        try (YaraRules rules = YaraRules.compile(List.of(path("rules/tag.yar")));
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < perThread; i++) {
                        int offset = (seed * 131 + i * 17) % 4000;
                        List<YaraMatch> m = rules.scan(bytes(withAt(4096, TAG, offset)), Duration.ofSeconds(30));
                        assertThat(m).singleElement().satisfies(x -> assertThat(x.strings())
                                .containsExactly(new YaraStringMatch("$tag", offset, 8)));
                        assertThat(rules.scan(bytes(new byte[4096]), Duration.ofSeconds(30)))
                                .isEmpty();
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(perThread);
            }
        }
    }

    @Test
    void compilingScanningAndClosingRepeatedlyDoesNotLeak(@org.junit.jupiter.api.io.TempDir Path tmp) throws Throwable {
        Path saved = tmp.resolve("saved.tgyc");
        try (YaraRules rules = YaraRules.compile(List.of(path("rules/modules.yar")))) {
            rules.save(saved);
        }
        byte[] exe = Files.readAllBytes(path("tiny.exe"));
        Runnable cycle = () -> {
            try (YaraRules a = YaraRules.compile(List.of(path("rules/tag.yar"), path("rules/modules.yar")));
                    YaraRules b = YaraRules.load(saved)) {
                assertThat(a.scan(bytes(exe), Duration.ofSeconds(10))).hasSize(1);
                assertThat(b.scan(bytes(exe), Duration.ofSeconds(10))).hasSize(1);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        for (int i = 0; i < 1000; i++) {
            cycle.run();
        }
        // What libyara allocates comes from malloc; the Java heap does not, so glibc's count of bytes in use measures
        // libyara, plus the JVM's own native bookkeeping (JIT compiler arenas, GC structures), which comes and goes in
        // bursts of several MiB: measured between windows of 1500 cycles it swung from -8 to +8.5 MiB with no trend,
        // so comparing two windows' growth failed now and then. The floor of the count (its lowest reading) is what a
        // leak raises steadily: a leak of 2 KiB per cycle raises it by 10 MiB over five windows of 1000 cycles, far
        // more than the bursts move it. A missing destroy of compiled rules leaks tens of KiB per cycle. One reading
        // per window still caught a burst now and then (windows of 29.8, 24.9, 16.4 ... 30.4, 30.1 MiB failed CI once
        // with no trend), so each window's reading is itself the lowest of ten taken 20 ms apart, once the JIT has had
        // a moment: a burst must last through all ten to count, while a leak raises every one of them.
        long[] inUse = new long[8];
        for (int window = 0; window < inUse.length; window++) {
            for (int i = 0; i < 1000; i++) {
                cycle.run();
            }
            inUse[window] = quietMallocInUse();
        }
        long firstFloor = Math.min(inUse[0], Math.min(inUse[1], inUse[2]));
        long lastFloor = Math.min(inUse[5], Math.min(inUse[6], inUse[7]));
        assertThat(lastFloor - firstFloor)
                .as("malloc bytes in use after each window of 1000 cycles: %s", java.util.Arrays.toString(inUse))
                .isLessThan(6L << 20);
    }

    /**
     * The lowest of ten readings, 20 ms apart, of what malloc holds for others than the JVM itself: glibc's bytes in
     * use ({@link #mallocInUse}) less what the JVM's Native Memory Tracking counts as its own mallocs (JIT arenas, GC
     * and class metadata, which came and went in bursts of several MiB and failed this test under load: windows of
     * 21.9, 22.6, 16.6 ... 29.6, 29.7 MiB while other builds ran). What is left is libyara's and libc's. Without NMT
     * (the module's failsafe runs with {@code -XX:NativeMemoryTracking=summary}) the JVM's share counts as zero.
     */
    private static long quietMallocInUse() throws Throwable {
        long lowest = Long.MAX_VALUE;
        for (int reading = 0; reading < 10; reading++) {
            Thread.sleep(20);
            lowest = Math.min(lowest, mallocInUse() - jvmMallocInUse());
        }
        return lowest;
    }

    private static final java.util.regex.Pattern NMT_MALLOC = java.util.regex.Pattern.compile("malloc: (\\d+)KB");

    /** The JVM's own malloc'd bytes as Native Memory Tracking counts them (its summary's total), or 0 without NMT. */
    private static long jvmMallocInUse() throws Exception {
        Object out = java.lang.management.ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "vmNativeMemory",
                        new Object[] {new String[] {"summary", "scale=KB"}},
                        new String[] {String[].class.getName()});
        java.util.regex.Matcher m = NMT_MALLOC.matcher(String.valueOf(out));
        return m.find() ? Long.parseLong(m.group(1)) << 10 : 0;
    }

    @Test
    void nativeMemoryTrackingIsOnSoTheLeakCheckSeesOnlyLibyara() throws Exception {
        assertThat(jvmMallocInUse()).as("NMT's malloc total").isPositive();
    }

    /** glibc {@code mallinfo2()}: {@code uordblks} (bytes in use in the heap) plus {@code hblkhd} (mmapped chunks). */
    private static long mallocInUse() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle mallinfo2 = linker.downcallHandle(
                linker.defaultLookup().find("mallinfo2").orElseThrow(),
                FunctionDescriptor.of(MemoryLayout.structLayout(java.util.stream.IntStream.range(0, 10)
                        .mapToObj(i -> ValueLayout.JAVA_LONG.withName("f" + i))
                        .toArray(MemoryLayout[]::new))));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) mallinfo2.invokeExact((SegmentAllocator) arena);
            return info.getAtIndex(ValueLayout.JAVA_LONG, 7) + info.getAtIndex(ValueLayout.JAVA_LONG, 4);
        }
    }
}
