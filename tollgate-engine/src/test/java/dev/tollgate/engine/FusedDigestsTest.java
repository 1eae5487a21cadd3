package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.model.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FusedDigestsTest {

    @Test
    void kernelIsUsedWithOrWithoutTheShaExtensions() throws IOException {
        // The build compiles the kernel (CI's machines have gcc) and names it to the tests, as the launcher does.
        boolean shaExtensions = Files.readString(Path.of("/proc/cpuinfo")).contains(" sha_ni");

        assertThat(FusedDigests.unavailableReason()).isEmpty();
        assertThat(FileDigests.create()).isInstanceOf(FusedDigests.class);
        assertThat(FusedDigests.binding().shaExtensions()).isEqualTo(shaExtensions);
        assertThat(FileDigests.describe())
                .startsWith(
                        shaExtensions
                                ? "one pass by Tollgate's SHA-extensions kernel ("
                                : "one pass by Tollgate's kernel (");
    }

    @Test
    void theShaExtensionsAreNotAskedOfAProcessorWithoutThem() {
        assumeTrue(FusedDigests.available(), FusedDigests::unavailableReason);
        assumeTrue(!FusedDigests.binding().shaExtensions(), "this processor has them");

        assertThatThrownBy(() -> new FusedDigests(true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this processor lacks the SHA extensions");
    }

    @ParameterizedTest(name = "kernel computes the SHAs: {0}")
    @ValueSource(booleans = {true, false})
    void kernelAndLibcryptoAgreeOnRandomStreamsFedInRandomPieces(boolean sha) {
        assumeTrue(FusedDigests.available(), FusedDigests::unavailableReason);
        assumeTrue(!sha || FusedDigests.binding().shaExtensions(), "this processor lacks the SHA extensions");
        SplittableRandom random = new SplittableRandom(20261124);
        try (FileDigests fused = new FusedDigests(sha);
                FileDigests openssl = FileDigests.separate(true)) {
            for (int stream = 0; stream < 400; stream++) {
                // Every length up to 200 (all the padding cases), then lengths up to 2 MiB.
                byte[] bytes = new byte[stream < 200 ? stream : random.nextInt(2 << 20)];
                random.nextBytes(bytes);
                for (int at = 0; at < bytes.length; ) {
                    int bound = random.nextBoolean() ? 130 : 300_000;
                    int piece = Math.min(bytes.length - at, random.nextInt(bound));
                    if (random.nextBoolean()) {
                        fused.update(bytes, at, piece); // pieces of 0 bytes included
                    } else {
                        fused.update(bytes, at, piece, new long[256]); // the counting path hashes the same
                    }
                    openssl.update(bytes, at, piece);
                    at += piece;
                }

                assertThat(fused.finish())
                        .as("stream %d of %d bytes", stream, bytes.length)
                        .isEqualTo(openssl.finish());
            }
        }
    }

    @ParameterizedTest(name = "kernel computes the SHAs: {0}")
    @ValueSource(booleans = {true, false})
    void kernelCountsTheBytesItHashesAsAPlainCountDoes(boolean sha) {
        assumeTrue(FusedDigests.available(), FusedDigests::unavailableReason);
        assumeTrue(!sha || FusedDigests.binding().shaExtensions(), "this processor lacks the SHA extensions");
        SplittableRandom random = new SplittableRandom(31);
        try (FileDigests fused = new FusedDigests(sha);
                FileDigests openssl = FileDigests.separate(true)) {
            for (int stream = 0; stream < 100; stream++) {
                byte[] bytes = new byte[random.nextInt(600_000)];
                random.nextBytes(bytes);
                // Runs of one value, as PE padding has, to exercise counting a value in all four tables.
                Arrays.fill(bytes, bytes.length / 3, bytes.length / 2, (byte) 0);
                long[] counted = new long[256];
                long[] plain = new long[256];
                for (byte b : bytes) {
                    plain[b & 0xff]++;
                }
                long[] separate = new long[256];
                for (int at = 0; at < bytes.length; ) {
                    int piece = Math.min(bytes.length - at, random.nextInt(random.nextBoolean() ? 130 : 200_000));
                    fused.update(bytes, at, piece, counted);
                    openssl.update(bytes, at, piece, separate);
                    at += piece;
                }

                assertThat(counted)
                        .as("stream %d of %d bytes", stream, bytes.length)
                        .isEqualTo(plain);
                assertThat(separate).isEqualTo(plain);
                assertThat(fused.finish()).isEqualTo(openssl.finish());
            }
        }
    }

    @ParameterizedTest(name = "kernel computes the SHAs: {0}")
    @ValueSource(booleans = {true, false})
    void kernelMarksExactlyTheDotsAndColonsAtTheBitsAsked(boolean sha) {
        assumeTrue(FusedDigests.available(), FusedDigests::unavailableReason);
        assumeTrue(!sha || FusedDigests.binding().shaExtensions(), "this processor lacks the SHA extensions");
        SplittableRandom random = new SplittableRandom(41);
        byte[] alphabet = {'.', ':', '.', 'a', '0', 0, '/', (byte) 0xae}; // 0xae: '.' with the high bit set
        try (FileDigests fused = new FusedDigests(sha)) {
            for (int stream = 0; stream < 200; stream++) {
                byte[] bytes = new byte[random.nextInt(stream < 100 ? 300 : 300_000)];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = alphabet[random.nextInt(alphabet.length)];
                }
                int base = random.nextInt(130); // marks need not start at a word's first bit
                long[] expected = new long[(base + bytes.length + 63) / 64];
                for (int i = 0; i < bytes.length; i++) {
                    if (bytes[i] == '.' || bytes[i] == ':') {
                        expected[(base + i) / 64] |= 1L << ((base + i) % 64);
                    }
                }
                long[] marks = new long[expected.length];
                for (int at = 0; at < bytes.length; ) {
                    int piece = Math.min(bytes.length - at, random.nextInt(random.nextBoolean() ? 130 : 100_000));
                    fused.update(bytes, at, piece, new long[256], marks, base + at);
                    at += piece;
                }
                fused.finish();

                assertThat(marks)
                        .as("stream %d of %d bytes from bit %d", stream, bytes.length, base)
                        .isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "kernel computes the SHAs: {0}")
    @ValueSource(booleans = {true, false})
    void marksThatDoNotFitAreRefusedBeforeReachingTheKernel(boolean sha) {
        assumeTrue(FusedDigests.available(), FusedDigests::unavailableReason);
        assumeTrue(!sha || FusedDigests.binding().shaExtensions(), "this processor lacks the SHA extensions");
        try (FileDigests fused = new FusedDigests(sha)) {
            long[] histogram = new long[256];
            assertThatThrownBy(() -> fused.update(new byte[100], 0, 100, histogram, new long[1], 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("marks for bits [0, 100) do not fit in 1 words");
            assertThatThrownBy(() -> fused.update(new byte[8], 0, 8, histogram, new long[1], 60))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fused.update(new byte[8], 0, 8, histogram, new long[1], -1))
                    .isInstanceOf(IllegalArgumentException.class);
            fused.update(new byte[64], 0, 64, histogram, new long[1], 0); // exactly fits
        }
    }

    @ParameterizedTest(name = "kernel computes the SHAs: {0}")
    @ValueSource(booleans = {true, false})
    void aHistogramMustHaveACounterPerByteValue(boolean sha) {
        assumeTrue(FusedDigests.available(), FusedDigests::unavailableReason);
        assumeTrue(!sha || FusedDigests.binding().shaExtensions(), "this processor lacks the SHA extensions");
        try (FileDigests fused = new FusedDigests(sha);
                FileDigests openssl = FileDigests.separate(true)) {
            for (FileDigests digests : new FileDigests[] {fused, openssl}) {
                assertThatThrownBy(() -> digests.update(new byte[4], 0, 4, new long[255]))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("a byte histogram has 256 counters, not 255");
            }
        }
    }

    @ParameterizedTest(name = "kernel computes the SHAs: {0}")
    @ValueSource(booleans = {true, false})
    void kernelGivesTheWellKnownDigestsOfTheEmptyStream(boolean sha) {
        assumeTrue(FusedDigests.available(), FusedDigests::unavailableReason);
        assumeTrue(!sha || FusedDigests.binding().shaExtensions(), "this processor lacks the SHA extensions");
        try (FileDigests fused = new FusedDigests(sha)) {
            assertThat(fused.finish())
                    .isEqualTo(new Hashes(
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
                            "d41d8cd98f00b204e9800998ecf8427e"));
        }
    }

    @ParameterizedTest(name = "kernel computes the SHAs: {0}")
    @ValueSource(booleans = {true, false})
    void piecesOutsideTheArrayAreRefusedBeforeReachingTheKernel(boolean sha) {
        assumeTrue(FusedDigests.available(), FusedDigests::unavailableReason);
        assumeTrue(!sha || FusedDigests.binding().shaExtensions(), "this processor lacks the SHA extensions");
        byte[] bytes = new byte[16];
        try (FileDigests fused = new FusedDigests(sha)) {
            assertThatThrownBy(() -> fused.update(bytes, 8, 9)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> fused.update(bytes, -1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> fused.update(bytes, 4, -1)).isInstanceOf(IndexOutOfBoundsException.class);
            fused.update(bytes, 0, 16);
            assertThat(fused.finish().md5()).isEqualTo("4ae71336e44bf9bf79d2752e234818a5"); // md5 of 16 zero bytes
        }
    }

    @ParameterizedTest(name = "kernel computes the SHAs: {0}")
    @ValueSource(booleans = {true, false})
    void closedKernelDigestsRefuseWorkInsteadOfTouchingFreedMemory(boolean sha) {
        assumeTrue(FusedDigests.available(), FusedDigests::unavailableReason);
        assumeTrue(!sha || FusedDigests.binding().shaExtensions(), "this processor lacks the SHA extensions");
        FileDigests fused = new FusedDigests(sha);
        fused.close();
        fused.close(); // twice is harmless

        assertThatThrownBy(() -> fused.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(fused::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void missingKernelLibraryIsNamedWithWhatHappensInstead(@TempDir Path dir) {
        Path missing = dir.resolve("libtollgate-digests.so");

        assertThatThrownBy(() -> FusedDigests.bind(missing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing + " not found")
                .hasMessageContaining("the digests come from OpenSSL");
    }

    @Test
    void aFileThatIsNotALibraryIsRefused(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("libtollgate-digests.so"), "not an ELF file\n");

        assertThatThrownBy(() -> FusedDigests.bind(text))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(text + " cannot be loaded");
    }

    @Test
    void aLibraryWithoutTheKernelsFunctionsIsRefused() {
        Path libcrypto = Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3");
        assumeTrue(Files.isRegularFile(libcrypto), "Debian's libcrypto is elsewhere on this machine");

        assertThatThrownBy(() -> FusedDigests.bind(libcrypto))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no tg_digests_supported");
    }
}
