package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StringScannerTest {

    private static List<String> scan(byte[] data, int... splits) {
        List<String> found = new ArrayList<>();
        StringScanner scanner = new StringScanner(found::add);
        int from = 0;
        for (int split : splits) {
            scanner.feed(data, from, split - from);
            from = split;
        }
        scanner.feed(data, from, data.length - from);
        scanner.finish();
        return found;
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else if (part instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    @Test
    void findsAsciiRunsOfAtLeastFiveCharactersThatMayHoldAnIndicator() {
        assertThat(scan(bytes(0, "a.cd", 0xff, "hello.world", 1, 2, "xyz::"))).containsExactly("hello.world", "xyz::");
    }

    @Test
    void findsTheSameStringWhereverTheChunkBoundaryFalls() {
        byte[] data = bytes(0, 0, "kernel32.dll", 0xff, "http://example.com/a", 0);
        for (int split = 0; split <= data.length; split++) {
            assertThat(scan(data, split))
                    .as("split at %d", split)
                    .containsExactly("kernel32.dll", "http://example.com/a");
        }
    }

    @Test
    void findsUtf16LeStringsAtBothAlignments() {
        byte[] wide = "update.example.org".getBytes(StandardCharsets.UTF_16LE);
        assertThat(scan(bytes(0xff, 0xfe, wide, 0xff, 0xff))).containsExactly("update.example.org");
        assertThat(scan(bytes(0xff, wide, 0xff, 0xff))).containsExactly("update.example.org");
    }

    @Test
    void findsUtf16LeStringsAcrossEveryChunkBoundary() {
        byte[] data = bytes(0x90, "S\0e\0t\0u\0p\0.\0e\0x\0".getBytes(StandardCharsets.ISO_8859_1), 0x90, 0x90);
        for (int split = 0; split <= data.length; split++) {
            assertThat(scan(data, split)).as("split at %d", split).containsExactly("Setup.ex");
        }
    }

    @Test
    void cutsHugeRunsIntoBoundedPieces() {
        byte[] run = "A.".repeat((StringScanner.MAX_LENGTH * 3 + 8) / 2).getBytes(StandardCharsets.US_ASCII);

        List<String> found = scan(run, 1000, 5000);

        assertThat(found).hasSize(4).allSatisfy(s -> assertThat(s.length())
                .isLessThanOrEqualTo(StringScanner.MAX_LENGTH));
        assertThat(String.join("", found)).hasSize(run.length);
    }

    @Test
    void dropsRunsThatCannotHoldAnIndicator() {
        assertThat(scan(bytes(0, "GetProcAddress", 0, "kernel32.dll", 0))).containsExactly("kernel32.dll");
    }

    @Test
    void dropsDotsAndColonsThatNoIndicatorHas() {
        assertThat(scan(bytes(0, "....: x", 0, "end. Next", 0, "x:\\path", 0, "http://h", 0, "fe80::1", 0, "v1.2x", 0)))
                .containsExactly("http://h", "fe80::1", "v1.2x");
    }

    @Test
    void ignoresShortRuns() {
        assertThat(scan(bytes("ab.d", 0xff, "a\0.\0c\0d\0", 0xff, 0xff))).isEmpty();
    }
}
