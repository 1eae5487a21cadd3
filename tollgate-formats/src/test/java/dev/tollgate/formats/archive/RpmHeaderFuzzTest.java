package dev.tollgate.formats.archive;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;

/**
 * Fuzzes the RPM header structure parser: the only acceptable failure is {@link FormatException}, and a parsed header
 * must end inside the input. Saved inputs in {@code RpmHeaderFuzzTestInputs/} run as regression tests in every build.
 */
class RpmHeaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void header(byte[] data) {
        ByteView v = ByteView.of(data);
        try {
            RpmReader.Header h = RpmReader.header(v, 0, "header");
            if (h.end() > data.length) {
                throw new IllegalStateException("header ends past the input: " + h.end());
            }
        } catch (FormatException expected) {
            // hostile input
        }
    }
}
