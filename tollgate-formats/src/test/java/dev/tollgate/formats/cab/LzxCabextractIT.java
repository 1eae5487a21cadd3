package dev.tollgate.formats.cab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.cab.LzxTestEncoder.Block;
import dev.tollgate.formats.cab.LzxTestEncoder.CabEntry;
import dev.tollgate.formats.cab.LzxTestEncoder.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cross-checks {@link LzxTestEncoder} and {@link LzxDecoder} with an independent decoder: Debian's cabextract
 * (libmspack) must extract from our cabinets the same bytes that went in, and so must {@link CabFile}. Skipped when
 * cabextract is not installed ({@code apt-get install cabextract}; {@code .ci/run} installs it).
 */
class LzxCabextractIT {

    @BeforeAll
    static void needsCabextract() {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/cabextract")),
                "cabextract is not installed (apt-get install cabextract): LZX cross-check skipped");
    }

    @ParameterizedTest(name = "window 2^{0}, E8 size {1}, plan {2}")
    @CsvSource({
        "15, 0, V",
        "16, 12000000, A",
        "17, 0, U",
        "18, 4096, VUAVU",
        "19, 300000, AUV",
        "20, 0, VA",
        "21, 1048576, UAV",
    })
    void cabextractExtractsWhatWentIn(
            int windowBits, int translationSize, String kinds, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        byte[] a = LzxDecoderTest.sample(150_001, windowBits);
        byte[] b = LzxDecoderTest.sample(20_000, windowBits + 100);
        int blockSize = (a.length + b.length) / kinds.length() + 1;
        List<Block> plan = kinds.chars()
                .mapToObj(c -> new Block(
                        switch (c) {
                            case 'V' -> Kind.VERBATIM;
                            case 'A' -> Kind.ALIGNED;
                            default -> Kind.UNCOMPRESSED;
                        },
                        blockSize | 1))
                .toList();
        byte[] cab = LzxTestEncoder.cabinet(
                List.of(new CabEntry("a.bin", a), new CabEntry("b.bin", b)), windowBits, translationSize, plan);
        Path file = dir.resolve("lzx.cab");
        Files.write(file, cab);
        Path out = Files.createDirectory(dir.resolve("out"));

        Process p = new ProcessBuilder("cabextract", "-q", "-d", out.toString(), file.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.readAllBytes(out.resolve("a.bin"))).isEqualTo(a);
        assertThat(Files.readAllBytes(out.resolve("b.bin"))).isEqualTo(b);

        CabFile parsed = CabFile.parse(ByteView.of(cab));
        try (InputStream in = parsed.open(parsed.folders().getFirst())) {
            byte[] all = in.readAllBytes();
            assertThat(Arrays.copyOf(all, a.length)).isEqualTo(a);
            assertThat(Arrays.copyOfRange(all, a.length, all.length)).isEqualTo(b);
        }
    }

    /** The committed fixture: cabextract must list and extract it too (the fixture's provenance, checked). */
    @org.junit.jupiter.api.Test
    void cabextractAgreesOnTheCommittedFixture(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException, InterruptedException {
        Path fixture = Path.of("../fixtures/archive/lzx.cab");
        assumeTrue(
                Files.exists(fixture),
                "fixtures/archive/lzx.cab not found from " + Path.of("").toAbsolutePath());
        Process p = new ProcessBuilder("cabextract", "-q", "-d", dir.toString(), fixture.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.readAllBytes(dir.resolve("hello.dll")))
                .isEqualTo(Files.readAllBytes(Path.of("../fixtures/archive/hello.dll")));
    }
}
