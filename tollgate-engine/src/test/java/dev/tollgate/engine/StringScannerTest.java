package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StringScannerTest {

    /** Scans {@code data} fed in chunks that end at each of {@code splits}, as the profiler feeds a file. */
    private static List<String> scan(byte[] data, int... splits) {
        List<String> found = new ArrayList<>();
        StringScanner scanner = new StringScanner(MemorySegment.ofArray(data), found::add);
        int from = 0;
        for (int split : splits) {
            scanner.scan(Arrays.copyOfRange(data, from, split), from, split - from);
            from = split;
        }
        scanner.scan(Arrays.copyOfRange(data, from, data.length), from, data.length - from);
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

    @Test
    void findsExactlyWhatAByteByByteScanFindsWhereverTheChunksEnd() {
        Random random = new Random(20261122);
        String[] words = {"cdn.example.com", "http://", "::1", "fe80:0", "a.b", "kernel32.dll", "x:y", "..", "::"};
        for (int round = 0; round < 300; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (out.size() < 3000) {
                String word = words[random.nextInt(words.length)];
                switch (random.nextInt(4)) {
                    case 0 -> out.writeBytes(word.getBytes(StandardCharsets.ISO_8859_1));
                    case 1 -> out.writeBytes(word.getBytes(StandardCharsets.UTF_16LE));
                    case 2 -> out.write(random.nextInt(256));
                    default -> out.write(" .:az09\0\0".charAt(random.nextInt(9)));
                }
            }
            byte[] data = out.toByteArray();
            int split = random.nextInt(data.length);
            assertThat(sorted(scan(data, split))).as("round %d", round).isEqualTo(sorted(reference(data)));
        }
    }

    /** The definition, followed byte by byte: every printable run, cut into pieces, that has an indicator shape. */
    private static List<String> reference(byte[] data) {
        List<String> found = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i <= data.length; i++) {
            int b = i < data.length ? data[i] & 0xff : -1;
            if (b == '\t' || (b >= 0x20 && b < 0x7f)) {
                run.append((char) b);
            } else {
                addPieces(run, found);
            }
        }
        for (int alignment = 0; alignment < 2; alignment++) {
            for (int i = alignment; i <= data.length; i += 2) {
                int b = i + 1 < data.length ? data[i] & 0xff : -1;
                if (b >= 0 && data[i + 1] == 0 && (b == '\t' || (b >= 0x20 && b < 0x7f))) {
                    run.append((char) b);
                } else {
                    addPieces(run, found);
                }
            }
        }
        return found;
    }

    private static void addPieces(StringBuilder run, List<String> found) {
        for (int from = 0; from < run.length(); from += StringScanner.MAX_LENGTH) {
            String piece = run.substring(from, Math.min(run.length(), from + StringScanner.MAX_LENGTH));
            if (piece.length() >= StringScanner.MIN_LENGTH
                    && Pattern.compile("[A-Za-z0-9]\\.[A-Za-z0-9]|:[/:]|[0-9A-Fa-f]:[0-9A-Fa-f]")
                            .matcher(piece)
                            .find()) {
                found.add(piece);
            }
        }
        run.setLength(0);
    }

    private static List<String> sorted(List<String> strings) {
        return strings.stream().sorted().toList();
    }
}
