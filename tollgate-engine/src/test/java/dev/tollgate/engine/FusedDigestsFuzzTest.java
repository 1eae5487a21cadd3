package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the one-pass digest kernel (native code fed hostile bytes): on any bytes, fed in any pieces, with
 * the marks starting at any bit, it must give OpenSSL's digests, a plain count's histogram and exactly the dots and
 * colons. Without {@code JAZZER_FUZZ=1} it runs once per kept input in {@code FusedDigestsFuzzTestInputs/}.
 */
class FusedDigestsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void givesWhatSeparateComputationsGive(FuzzedDataProvider data) {
        assumeTrue(FusedDigests.available(), FusedDigests::unavailableReason);
        // The kernel's two ways: all three digests (where the processor has the SHA extensions), or MD5 alone.
        boolean sha = data.consumeBoolean() && FusedDigests.binding().shaExtensions();
        int base = data.consumeInt(0, 200);
        int[] pieces = {data.consumeInt(0, 200), data.consumeInt(0, 5000), data.consumeInt(0, 70)};
        byte[] bytes = data.consumeRemainingAsBytes();

        long[] histogram = new long[256];
        long[] marks = new long[(base + bytes.length + 63) / 64];
        long[] expectedHistogram = new long[256];
        long[] expectedMarks = new long[marks.length];
        for (int i = 0; i < bytes.length; i++) {
            expectedHistogram[bytes[i] & 0xff]++;
            if (bytes[i] == '.' || bytes[i] == ':') {
                expectedMarks[(base + i) / 64] |= 1L << ((base + i) % 64);
            }
        }
        try (FileDigests fused = new FusedDigests(sha);
                FileDigests openssl = FileDigests.separate(true)) {
            for (int at = 0, k = 0; at < bytes.length; k++) {
                int piece = Math.min(bytes.length - at, pieces[k % pieces.length] + (k % pieces.length == 2 ? 1 : 0));
                fused.update(bytes, at, piece, histogram, marks, base + at);
                openssl.update(bytes, at, piece);
                at += piece;
            }

            assertThat(fused.finish()).isEqualTo(openssl.finish());
        }
        assertThat(histogram).isEqualTo(expectedHistogram);
        assertThat(marks).isEqualTo(expectedMarks);
    }
}
