package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.ByteView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Zstd windows read from the frame headers, and refused before decoding (fixtures/failclosed, fixtures/archive). */
class ZstdFramesTest {

    private static final Path FAILCLOSED = Path.of("..", "fixtures", "failclosed");

    private static ByteView view(Path file) throws IOException {
        return ByteView.of(Files.readAllBytes(file));
    }

    @Test
    void readsTheWindowThatZstdLongDeclares() throws IOException {
        assertThat(ZstdFrames.largestWindow(view(FAILCLOSED.resolve("sigflip-long27.tar.zst"))))
                .hasValueSatisfying(w -> assertThat(w.size()).isEqualTo(1L << 27));
        assertThat(ZstdFrames.largestWindow(view(FAILCLOSED.resolve("sigflip-long31.tar.zst"))))
                .hasValueSatisfying(w -> assertThat(w.size()).isEqualTo(1L << 31));
    }

    @Test
    void aWindowOf8MibOrLessIsDecoded() throws IOException {
        assertThat(ZstdFrames.largestWindow(view(Collected.FIXTURES.resolve("sample.tar.zst"))))
                .hasValueSatisfying(w -> assertThat(w.size()).isLessThanOrEqualTo(ZstdFrames.DECODER_MAX_WINDOW));
        Collected c = Collected.unpack("sample.tar.zst");

        assertThat(c.problems).isEmpty();
        assertThat(c.files).containsKey("orbit-1.1.0/bin/hello.dll");
    }

    @Test
    void aWindowOver8MibIsUnsupportedNotAnExceptionMidway() throws IOException {
        byte[] bytes = Files.readAllBytes(FAILCLOSED.resolve("sigflip-long27.tar.zst"));

        Collected c = Collected.unpack("sigflip-long27.tar.zst", bytes, Limits.defaults());

        assertThat(c.files).isEmpty();
        assertThat(c.problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.UNSUPPORTED);
            assertThat(p.evidence()).containsEntry("window", 1L << 27);
            assertThat(p.message()).doesNotContain("Exception");
        });
    }

    @Test
    void aWindowAboveMaxZstdWindowIsALimitNamingIt() throws IOException {
        byte[] bytes = Files.readAllBytes(FAILCLOSED.resolve("sigflip-long31.tar.zst"));

        Collected c = Collected.unpack(
                "sigflip-long31.tar.zst", bytes, Limits.defaults().with("maxZstdWindow", "1GiB"));

        assertThat(c.problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.LIMIT);
            assertThat(p.evidence()).containsEntry("limit", "maxZstdWindow").containsEntry("value", 1L << 30);
        });
    }

    @Test
    void skipsSkippableFramesAndReadsEveryFrame() {
        // A skippable frame (magic 0x184D2A50, 4 bytes of data), then an empty frame with window descriptor 0x58
        // (2^(10+11) = 2 MiB) and one last raw block of 0 bytes, then a frame with descriptor 0x88 (2^27 = 128 MiB).
        byte[] stream = {
            0x50,
            0x2A,
            0x4D,
            0x18,
            4,
            0,
            0,
            0,
            1,
            2,
            3,
            4,
            0x28,
            (byte) 0xB5,
            0x2F,
            (byte) 0xFD,
            0x00,
            0x58,
            0x01,
            0x00,
            0x00,
            0x28,
            (byte) 0xB5,
            0x2F,
            (byte) 0xFD,
            0x00,
            (byte) 0x88,
            0x01,
            0x00,
            0x00
        };

        assertThat(ZstdFrames.largestWindow(ByteView.of(stream))).hasValueSatisfying(w -> {
            assertThat(w.size()).isEqualTo(1L << 27);
            assertThat(w.frameOffset()).isEqualTo(21);
        });
    }

    @Test
    void theLimitIsSetByName() {
        assertThat(Limits.defaults().maxZstdWindow()).isEqualTo(1L << 31);
        assertThat(Limits.defaults().with("maxZstdWindow", "128MiB").maxZstdWindow())
                .isEqualTo(128L << 20);
        assertThat(Limits.NAMES).contains("maxZstdWindow");
    }
}
