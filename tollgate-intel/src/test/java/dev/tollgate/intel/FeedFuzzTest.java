package dev.tollgate.intel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Fuzz targets for every reader of untrusted feed text. Without {@code JAZZER_FUZZ=1} each runs once per kept input in
 * {@code FeedFuzzTestInputs/<method>/} (seeds and crash reproducers), as regression tests. A reader may refuse input with
 * {@link IntelFeedException} (or a pattern with {@link IllegalArgumentException}); any other exception, a hang or an
 * indicator that is not canonical is a bug.
 */
class FeedFuzzTest {

    /** Small limits, so the fuzzer reaches them. */
    private static final FeedLimits LIMITS = new FeedLimits(1 << 20, 500, 4096, 16, 1024, 8, 64);

    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    @FuzzTest(maxDuration = "30s")
    void stixBundle(byte[] input) {
        read(FeedFormat.STIX, input);
    }

    @FuzzTest(maxDuration = "30s")
    void mispEvent(byte[] input) {
        read(FeedFormat.MISP, input);
    }

    @FuzzTest(maxDuration = "30s")
    void csvList(byte[] input) {
        read(FeedFormat.CSV, input);
    }

    @FuzzTest(maxDuration = "30s")
    void stixPattern(byte[] input) {
        try {
            StixPattern.Evaluation evaluation = StixPattern.evaluate(new String(input, StandardCharsets.UTF_8), LIMITS);
            for (StixPattern.Comparison comparison : evaluation.comparisons()) {
                try {
                    comparison.type().normalize(comparison.value());
                } catch (IllegalArgumentException expected) {
                    // a bad value is the reader's problem to report, not a parser failure
                }
            }
        } catch (IllegalArgumentException expected) {
            // a syntax error or a limit, reported with its offset
        }
    }

    private static void read(FeedFormat format, byte[] input) {
        IndicatorIndex.Builder builder = IndicatorIndex.builder();
        try {
            IntelFeeds.read("fuzz", format, new ByteArrayInputStream(input), NOW, LIMITS, builder);
        } catch (IntelFeedException expected) {
            return;
        } catch (IOException e) {
            throw new AssertionError("a byte array cannot fail to read", e);
        }
        // whatever loaded must index and match without failing
        IndicatorIndex index = builder.build();
        index.matchDomain("a.example");
        index.matchIp("192.0.2.1");
        index.matchUrl("http://a.example/");
    }
}
