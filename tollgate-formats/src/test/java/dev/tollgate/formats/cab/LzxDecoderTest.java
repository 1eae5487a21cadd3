package dev.tollgate.formats.cab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.TruncatedException;
import dev.tollgate.formats.cab.LzxTestEncoder.Block;
import dev.tollgate.formats.cab.LzxTestEncoder.CabEntry;
import dev.tollgate.formats.cab.LzxTestEncoder.Frame;
import dev.tollgate.formats.cab.LzxTestEncoder.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LzxDecoderTest {

    /** Text with long and short repeats, x86-like call bytes and a stretch of noise, so every code gets used. */
    static byte[] sample(int size, long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] words = {"tollgate ", "vendor ", "release ", "signature ", "d3dcompiler_47.dll ", "ffmpeg.dll\n"};
        while (out.size() < size) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    // a CALL rel32, as E8 translation expects
                    out.write(0xE8);
                    int target = random.nextInt(1 << 16) - (1 << 15);
                    out.write(target);
                    out.write(target >> 8);
                    out.write(target >> 16);
                    out.write(target >> 24);
                }
                case 1 -> {
                    byte[] noise = new byte[random.nextInt(40)];
                    random.nextBytes(noise);
                    out.writeBytes(noise);
                }
                case 2 ->
                    out.writeBytes(
                            "0123456789abcdef".repeat(1 + random.nextInt(30)).getBytes());
                default -> out.writeBytes(words[random.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII));
            }
        }
        return Arrays.copyOf(out.toByteArray(), size);
    }

    static byte[] decode(List<Frame> frames, int windowBits) throws FormatException {
        LzxDecoder decoder = LzxDecoder.forWindow(windowBits, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long offset = 0;
        for (Frame f : frames) {
            out.writeBytes(decoder.decode(f.data(), f.uncompressed(), offset));
            offset += f.data().length;
        }
        return out.toByteArray();
    }

    private static List<Block> one(Kind kind) {
        return List.of(new Block(kind, Integer.MAX_VALUE));
    }

    @Test
    void decodesAKnownUncompressedBlock() throws FormatException {
        // header bit 0 (no E8 translation), type 3, size 5, 4 bits of padding to 32 bits; R0..R2 = 1; "hello" and a pad
        byte[] stream = {0x00, 0x30, 0x50, 0x00, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 'h', 'e', 'l', 'l', 'o', 0};

        assertThat(LzxDecoder.forWindow(15, 0).decode(stream, 5, 0)).asString().isEqualTo("hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {"VERBATIM", "ALIGNED", "UNCOMPRESSED"})
    void decodesEachBlockTypeAcrossSeveralFrames(Kind kind) throws FormatException {
        byte[] input = sample(100_000, 1);
        List<Frame> frames = LzxTestEncoder.encode(input, 16, 0, one(kind));

        assertThat(frames).hasSize(4);
        assertThat(frames.get(0).uncompressed()).isEqualTo(LzxDecoder.FRAME);
        assertThat(decode(frames, 16)).isEqualTo(input);
        if (kind != Kind.UNCOMPRESSED) {
            assertThat(frames.stream().mapToInt(f -> f.data().length).sum()).isLessThan(input.length / 2);
        }
    }

    @Test
    void carriesTreesAsDeltasFromBlockToBlockAndSwitchesBlockTypes() throws FormatException {
        byte[] input = sample(150_000, 2);
        List<Block> plan = List.of(
                new Block(Kind.VERBATIM, 20_000),
                new Block(Kind.UNCOMPRESSED, 1001), // odd: a pad byte follows
                new Block(Kind.ALIGNED, 40_000),
                new Block(Kind.VERBATIM, 12_767), // ends exactly on the third frame's end
                new Block(Kind.UNCOMPRESSED, 3),
                new Block(Kind.VERBATIM, 5),
                new Block(Kind.ALIGNED, Integer.MAX_VALUE));

        assertThat(decode(LzxTestEncoder.encode(input, 17, 0, plan), 17)).isEqualTo(input);
    }

    @Test
    void oddUncompressedBlockEndingOnAFrameEndHasItsPadByteInTheNextFrame() throws FormatException {
        byte[] input = sample(70_000, 3);
        List<Block> plan = List.of(
                new Block(Kind.VERBATIM, 1),
                new Block(Kind.UNCOMPRESSED, LzxDecoder.FRAME - 1),
                new Block(Kind.VERBATIM, Integer.MAX_VALUE));
        List<Frame> frames = LzxTestEncoder.encode(input, 15, 0, plan);

        assertThat(frames.get(1).data()[0]).isZero();
        assertThat(decode(frames, 15)).isEqualTo(input);
    }

    @Test
    void oddUncompressedBlockSpanningFramesIsPaddedAfterItsLastByte() throws FormatException {
        // Found by the cabextract cross-check: the pad depends on the block's size, not on what the last frame holds.
        byte[] input = sample(170_001, 19);
        List<Block> plan = List.of(
                new Block(Kind.ALIGNED, 56_669),
                new Block(Kind.UNCOMPRESSED, 56_669),
                new Block(Kind.VERBATIM, Integer.MAX_VALUE));

        assertThat(decode(LzxTestEncoder.encode(input, 17, 0, plan), 17)).isEqualTo(input);
    }

    @Test
    void undoesE8CallTranslation() throws FormatException {
        byte[] input = sample(90_000, 4);
        List<Frame> translated = LzxTestEncoder.encode(input, 16, 12_000_000, one(Kind.VERBATIM));
        List<Frame> plain = LzxTestEncoder.encode(input, 16, 0, one(Kind.VERBATIM));

        assertThat(decode(translated, 16)).isEqualTo(input);
        assertThat(translated.get(0).data()).isNotEqualTo(plain.get(0).data());
    }

    @Test
    void undoesE8TranslationInUncompressedBlocksAndLeavesTheLast10BytesOfAFrameAlone() throws FormatException {
        byte[] input = new byte[LzxDecoder.FRAME + 100];
        Arrays.fill(input, (byte) 0xE8);

        assertThat(decode(LzxTestEncoder.encode(input, 15, 4096, one(Kind.UNCOMPRESSED)), 15))
                .isEqualTo(input);
        assertThat(decode(LzxTestEncoder.encode(input, 15, 1 << 30, one(Kind.ALIGNED)), 15))
                .isEqualTo(input);
    }

    @Test
    void followsRepeatedOffsetsWhetherOrNotTheEncoderAimsForThem() throws FormatException {
        // records of a fixed stride with one changing field: distances repeat, R0/R1/R2 are used all the time
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 5000; i++) {
            out.writeBytes(("id=" + (i % 7) + ";name=orbit;flags=" + (i % 3) + ";\n").getBytes());
        }
        byte[] input = out.toByteArray();
        List<Frame> repeats = LzxTestEncoder.encode(input, 15, 0, one(Kind.VERBATIM));
        List<Frame> without = LzxTestEncoder.encodeWithoutRepeats(input, 15, one(Kind.VERBATIM));

        assertThat(decode(repeats, 15)).isEqualTo(input);
        assertThat(decode(without, 15)).isEqualTo(input);
        assertThat(size(repeats)).isLessThan(size(without));
    }

    @ParameterizedTest
    @ValueSource(ints = {15, 16, 17, 18, 19, 20, 21})
    void decodesEveryWindowSizeWithMatchesReachingFarBack(int windowBits) throws FormatException {
        // a random block repeated at a distance of 3/4 of the window: only a window of that size finds the matches
        int distance = (1 << windowBits) / 4 * 3;
        byte[] unit = sample(8192, windowBits);
        byte[] input = new byte[distance + unit.length];
        System.arraycopy(unit, 0, input, 0, unit.length);
        new Random(windowBits).nextBytes(Arrays.copyOfRange(input, unit.length, distance));
        System.arraycopy(unit, 0, input, distance, unit.length);
        List<Frame> frames = LzxTestEncoder.encode(input, windowBits, 0, one(Kind.ALIGNED));

        assertThat(decode(frames, windowBits)).isEqualTo(input);
        assertThat(size(frames)).isLessThan(input.length - unit.length / 2);
    }

    @Test
    void decodesTheFinalShortFrame() throws FormatException {
        byte[] input = sample(LzxDecoder.FRAME + 7, 5);
        List<Frame> frames = LzxTestEncoder.encode(input, 15, 0, one(Kind.VERBATIM));

        assertThat(frames).extracting(Frame::uncompressed).containsExactly(LzxDecoder.FRAME, 7);
        assertThat(decode(frames, 15)).isEqualTo(input);
    }

    @Test
    void readsLzxCabinetsThroughCabFile() throws Exception {
        byte[] a = sample(50_000, 6);
        byte[] b = "second file\n".getBytes();
        byte[] cab = LzxTestEncoder.cabinet(
                List.of(new CabEntry("a.bin", a), new CabEntry("b.txt", b)), 18, 50_012, one(Kind.VERBATIM));

        CabFile parsed = CabFile.parse(ByteView.of(cab));
        assertThat(parsed.folders()).singleElement().satisfies(f -> {
            assertThat(f.compression()).isEqualTo(CabFile.LZX);
            assertThat(f.window()).isEqualTo(18);
        });
        assertThat(CabFile.supports(CabFile.LZX)).isTrue();
        try (InputStream in = parsed.open(parsed.folders().getFirst())) {
            byte[] all = in.readAllBytes();
            assertThat(Arrays.copyOf(all, a.length)).isEqualTo(a);
            assertThat(Arrays.copyOfRange(all, a.length, all.length)).isEqualTo(b);
        }
    }

    // --- hostile input: one precise FormatException each ---

    @Test
    void rejectsWindowSizesOutside15To21() {
        assertThatThrownBy(() -> LzxDecoder.forWindow(14, 0x40)).hasMessageContaining("2^14");
        assertThatThrownBy(() -> LzxDecoder.forWindow(22, 0x40)).hasMessageContaining("2^22");
    }

    @Test
    void rejectsAnUnknownBlockType() {
        // header bit 0, type 0
        assertThatThrownBy(() -> LzxDecoder.forWindow(15, 0).decode(new byte[] {0, 0, 0, 0, 0, 0}, 10, 0))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("block type 0 is not 1, 2 or 3");
    }

    @Test
    void rejectsOverSubscribedCodeLengths() {
        // header bit 0, type 1 (verbatim), size 1, then twenty pretree lengths of 1 bit: 20 codes for 2 places
        BitSink bits = new BitSink().put(0, 1).put(1, 3).put(1, 24);
        for (int i = 0; i < 20; i++) {
            bits.put(1, 4);
        }
        assertThatThrownBy(() -> LzxDecoder.forWindow(15, 0).decode(bits.bytes(), 1, 0))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("pretree code lengths over-subscribe");
    }

    @Test
    void rejectsIncompleteCodeLengths() {
        // one pretree symbol with a 1-bit code: half the code space unused
        BitSink bits = new BitSink().put(0, 1).put(1, 3).put(1, 24).put(1, 4);
        for (int i = 1; i < 20; i++) {
            bits.put(0, 4);
        }
        assertThatThrownBy(() -> LzxDecoder.forWindow(15, 0).decode(bits.bytes(), 1, 0))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("pretree code lengths are incomplete");
    }

    @Test
    void rejectsAnAlignedTreeWithoutSymbols() {
        BitSink bits = new BitSink().put(0, 1).put(2, 3).put(1, 24).put(0, 24);
        assertThatThrownBy(() -> LzxDecoder.forWindow(15, 0).decode(bits.bytes(), 1, 0))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("aligned offset code has no symbols");
    }

    @Test
    void rejectsAMatchReachingBeforeTheStartOfTheWindow() {
        byte[] input = sample(20_000, 7);
        List<Frame> frames = LzxTestEncoder.encodeWithDistanceBeyondHistory(input, 30_000);

        assertThatThrownBy(() -> decode(frames, 15))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("reaches before the start of the window");
    }

    @Test
    void rejectsARepeatedOffsetBeforeAnythingWasDecoded() {
        // verbatim block whose main tree has two 1-bit codes, 'a' and 256 (R0 match of 2 bytes); the length tree is
        // empty. Its first symbol is the match, with R0 = 1 and nothing decoded yet.
        BitSink bits = new BitSink().put(0, 1).put(1, 3).put(10, 24);
        pretreeOfZeroAndSixteen(bits);
        for (int i = 0; i < 256; i++) {
            bits.put(i == 'a' ? 1 : 0, 1); // pretree 16: length 0 -> 1; pretree 0: unchanged
        }
        pretreeOfZeroAndSixteen(bits);
        for (int i = 256; i < 256 + 30 * 8; i++) {
            bits.put(i == 256 ? 1 : 0, 1);
        }
        pretreeOfZeroAndSixteen(bits);
        bits.put(0, 249);
        bits.put(1, 1); // main symbol 256

        assertThatThrownBy(() -> LzxDecoder.forWindow(15, 0).decode(bits.bytes(), 10, 0))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("match distance 1 reaches before the start of the window (0 bytes decoded)");
    }

    private static void pretreeOfZeroAndSixteen(BitSink bits) {
        for (int i = 0; i < 20; i++) {
            bits.put(i == 0 || i == 16 ? 1 : 0, 4);
        }
    }

    @Test
    void rejectsAMatchRunningPastTheEndOfItsFrame() {
        byte[] input = "abcdefgh".repeat(10_000).getBytes();
        List<Frame> frames = LzxTestEncoder.encodeAcross(input, true, false, one(Kind.VERBATIM));

        assertThatThrownBy(() -> decode(frames, 16))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("runs past the end of its 32 KiB frame");
    }

    @Test
    void rejectsAMatchRunningPastTheEndOfItsBlock() {
        byte[] input = "abcdefgh".repeat(1000).getBytes();
        List<Frame> frames = LzxTestEncoder.encodeAcross(
                input, false, true, List.of(new Block(Kind.VERBATIM, 1001), new Block(Kind.VERBATIM, 7000)));

        assertThatThrownBy(() -> decode(frames, 16))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("runs past the end of its block");
    }

    @Test
    void rejectsTruncatedBlocks() throws FormatException {
        byte[] input = sample(40_000, 8);
        for (Kind kind : Kind.values()) {
            List<Frame> frames = new ArrayList<>(LzxTestEncoder.encode(input, 15, 0, one(kind)));
            Frame last = frames.getLast();
            frames.set(
                    frames.size() - 1,
                    new Frame(Arrays.copyOf(last.data(), last.data().length / 2), last.uncompressed()));

            assertThatThrownBy(() -> decode(frames, 15)).as(kind.name()).isInstanceOf(TruncatedException.class);
        }
    }

    @Test
    void rejectsAFrameLargerThan32KiBAndStopsAfterAnError() throws FormatException {
        LzxDecoder decoder = LzxDecoder.forWindow(15, 0);
        assertThatThrownBy(() -> decoder.decode(new byte[4], LzxDecoder.FRAME + 1, 0))
                .hasMessageContaining("more than a frame");
        assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0, 0, 0}, 1, 0)).hasMessageContaining("block type 0");
        assertThatThrownBy(() -> decoder.decode(new byte[4], 1, 0)).hasMessageContaining("earlier corrupt");
    }

    @Test
    void corruptCabinetFolderFailsAsAnIOExceptionCausedByAFormatException() throws Exception {
        byte[] cab =
                LzxTestEncoder.cabinet(List.of(new CabEntry("a.bin", sample(70_000, 9))), 16, 0, one(Kind.VERBATIM));
        // flip bits in the middle of the first CFDATA block; keep the checksum valid by clearing it
        int dataAt = (int) ByteView.of(cab).u32(36, "coffCabStart");
        Arrays.fill(cab, dataAt, dataAt + 4, (byte) 0);
        for (int i = dataAt + 8 + 100; i < dataAt + 8 + 140; i++) {
            cab[i] ^= (byte) 0x5A;
        }
        CabFile parsed = CabFile.parse(ByteView.of(cab));

        assertThatThrownBy(() -> {
                    try (InputStream in = parsed.open(parsed.folders().getFirst())) {
                        in.readAllBytes();
                    }
                })
                .isInstanceOf(IOException.class)
                .hasCauseInstanceOf(FormatException.class);
    }

    private static int size(List<Frame> frames) {
        return frames.stream().mapToInt(f -> f.data().length).sum();
    }

    /** Bits into 16-bit little-endian words, most significant bit first, for hand-made streams. */
    private static final class BitSink {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int count;

        BitSink put(int value, int n) {
            if (n > 31) {
                return put(0, n - 31).put(value, 31);
            }
            for (int i = n - 1; i >= 0; i--) {
                acc = acc << 1 | ((value >>> i) & 1);
                if (++count == 16) {
                    out.write(acc & 0xFF);
                    out.write((acc >>> 8) & 0xFF);
                    acc = 0;
                    count = 0;
                }
            }
            return this;
        }

        byte[] bytes() {
            while (count != 0) {
                put(0, 1);
            }
            // plenty of zero words after, so that only the condition under test can fail
            byte[] body = out.toByteArray();
            return Arrays.copyOf(body, body.length + 64);
        }
    }
}
