package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the string scanner: on any bytes, split into two parts anywhere, it must find exactly what the
 * byte-by-byte definition in {@link StringScannerTest#reference} finds, and never a string longer than the maximum;
 * the scan over marked dots and colons finds the same, in the same order.
 * Without {@code JAZZER_FUZZ=1} it runs once per kept input in {@code StringScannerFuzzTestInputs/}.
 */
class StringScannerFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void findsWhatTheDefinitionFinds(FuzzedDataProvider data) {
        int split = data.consumeInt(0, 1 << 16);
        byte[] bytes = data.consumeRemainingAsBytes();
        int at = Math.min(split, bytes.length);

        var found = StringScannerTest.sorted(StringScannerTest.scan(bytes, at));

        assertThat(found).isEqualTo(StringScannerTest.sorted(StringScannerTest.reference(bytes)));
        assertThat(StringScannerTest.scanMarked(bytes, at)).isEqualTo(StringScannerTest.scan(bytes, at));
        assertThat(found)
                .allSatisfy(s -> assertThat(s.length()).isBetween(StringScanner.MIN_LENGTH, StringScanner.MAX_LENGTH));
    }
}
