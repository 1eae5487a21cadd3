package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StringScannerTest {

    /** Scans {@code data} in parts that end at each of {@code splits}, each seen through its own window. */
    static List<String> scan(byte[] data, int... splits) {
        return scan(data, false, splits);
    }

    /** As {@link #scan}, through the marked scan, with the marks that the digest kernel would set. */
    static List<String> scanMarked(byte[] data, int... splits) {
        return scan(data, true, splits);
    }

    private static List<String> scan(byte[] data, boolean marked, int... splits) {
        List<String> found = new ArrayList<>();
        StringScanner.Sink sink =
                (text, offset, length) -> found.add(new String(text, offset, length, StandardCharsets.ISO_8859_1));
        StringScanner scanner = new StringScanner(data.length);
        int from = 0;
        for (int i = 0; i <= splits.length; i++) {
            int to = i < splits.length ? splits[i] : data.length;
            int windowStart = Math.max(0, from - StringScanner.MARGIN);
            int windowEnd = Math.min(data.length, to + StringScanner.MARGIN);
            byte[] window = Arrays.copyOfRange(data, windowStart, windowEnd);
            if (marked) {
                scanner.scan(window, windowStart, window.length, from, to, marks(data, from, to), sink);
            } else {
                scanner.scan(window, windowStart, window.length, from, to, sink);
            }
            from = to;
        }
        return found;
    }

    /** Bit {@code k} set for each dot or colon at {@code from + k}, as {@link FileDigests#marksPunctuation} sets. */
    static long[] marks(byte[] data, int from, int to) {
        long[] marks = new long[(to - from + 63) / 64 + 1];
        for (int k = 0; k < to - from; k++) {
            if (data[from + k] == '.' || data[from + k] == ':') {
                marks[k / 64] |= 1L << (k % 64);
            }
        }
        return marks;
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
    void refusesAWindowWithoutItsMargins() {
        StringScanner scanner = new StringScanner(100_000);
        byte[] window = new byte[20_000];
        StringScanner.Sink ignored = (text, offset, length) -> {};

        assertThatThrownBy(() -> scanner.scan(window, 40_000, window.length, 41_000, 59_000, ignored))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not cover");
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

    @Test
    void findsExactlyWhatAByteByByteScanFindsWhereverTheChunksEnd() {
        Random random = new Random(20261122);
        String[] words = {"cdn.example.com", "http://", "::1", "fe80:0", "a.b", "kernel32.dll", "x:y", "..", "::", "a"};
        for (int round = 0; round < 300; round++) {
            // Most rounds mix short strings and binary; some are one long ASCII or UTF-16LE text, cut into pieces.
            int kind = round % 10 == 0 ? 0 : round % 10 == 5 ? 1 : 4;
            int length = kind < 4 ? 30_000 : 3000;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[random.nextInt(3)]);
            while (out.size() < length) {
                String word = words[random.nextInt(words.length)];
                switch (kind < 4 ? kind : random.nextInt(4)) {
                    case 0 -> out.writeBytes(word.getBytes(StandardCharsets.ISO_8859_1));
                    case 1 -> out.writeBytes(word.getBytes(StandardCharsets.UTF_16LE));
                    case 2 -> out.write(random.nextInt(256));
                    default -> out.write(" .:az09\0\0".charAt(random.nextInt(9)));
                }
            }
            byte[] data = out.toByteArray();
            int split = random.nextInt(data.length);
            assertThat(sorted(scan(data, split))).as("round %d", round).isEqualTo(sorted(reference(data)));
            assertThat(scanMarked(data, split)).as("round %d, marked", round).isEqualTo(scan(data, split));
        }
    }

    @Test
    void refusesAMarkThatIsNotOnADotOrColon() {
        byte[] data = bytes("see cdn.example.com here");
        long[] marks = StringScannerTest.marks(data, 0, data.length);
        marks[0] |= 1; // 's'
        StringScanner scanner = new StringScanner(data.length);

        assertThatThrownBy(() -> scanner.scan(data, 0, data.length, 0, data.length, marks, (t, o, l) -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mark 0 is not on a dot or colon");
    }

    /**
     * The definition, followed byte by byte: every printable run that has an indicator shape; a run longer than the
     * maximum length is cut where the file offset (in bytes, or in code units of the alignment) is a multiple of it.
     */
    static List<String> reference(byte[] data) {
        List<String> found = new ArrayList<>();
        for (int alignment = -1; alignment < 2; alignment++) {
            boolean wide = alignment >= 0;
            int unit = wide ? 2 : 1;
            StringBuilder run = new StringBuilder();
            List<Integer> offsets = new ArrayList<>();
            for (int i = Math.max(alignment, 0); i <= data.length; i += unit) {
                int b = i < data.length ? data[i] & 0xff : -1;
                boolean printable = b == '\t' || (b >= 0x20 && b < 0x7f);
                if (printable && (!wide || (i + 1 < data.length && data[i + 1] == 0))) {
                    run.append((char) b);
                    offsets.add(i);
                } else {
                    addRun(run, offsets, unit, Math.max(alignment, 0), found);
                }
            }
        }
        return found;
    }

    private static void addRun(StringBuilder run, List<Integer> offsets, int unit, int alignment, List<String> found) {
        int max = StringScanner.MAX_LENGTH;
        if (run.length() <= max) {
            addIfIndicatorShaped(run.toString(), found);
        } else {
            int from = 0;
            for (int i = 1; i <= run.length(); i++) {
                if (i == run.length() || (offsets.get(i) - alignment) / unit % max == 0) {
                    addIfIndicatorShaped(run.substring(from, i), found);
                    from = i;
                }
            }
        }
        run.setLength(0);
        offsets.clear();
    }

    private static void addIfIndicatorShaped(String piece, List<String> found) {
        if (piece.length() >= StringScanner.MIN_LENGTH
                && Pattern.compile("[A-Za-z0-9]\\.[A-Za-z0-9]|:[/:]|[0-9A-Fa-f]:[0-9A-Fa-f]")
                        .matcher(piece)
                        .find()) {
            found.add(piece);
        }
    }

    static List<String> sorted(List<String> strings) {
        return strings.stream().sorted().toList();
    }
}
