package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate diff} with the scan cache: a second diff takes OLD from the cache and reports exactly what a diff
 * without the cache reports; a changed byte in OLD is a miss; a damaged entry is a warning and a miss.
 */
class DiffCacheIT {

    private static final Path PE = Path.of("..", "fixtures", "pe");
    private static final String ROOT =
            Path.of("..", "fixtures", "pki", "root.pem").toString();

    @TempDir
    Path tmp;

    private Path old;
    private Path now;
    private Path cache;

    private record Run(int exit, JsonNode report, String err) {}

    /** The 3CX pattern of DiffReleasesIT: a diff with findings on changed files and one unchanged file. */
    @BeforeEach
    void releases() throws IOException {
        old = Files.createDirectories(tmp.resolve("OrbitPhone-1.0"));
        now = Files.createDirectories(tmp.resolve("OrbitPhone-1.0.1"));
        cache = tmp.resolve("cache");
        Files.copy(PE.resolve("orbit-signed.dll"), old.resolve("ffmpeg.dll"));
        Files.copy(PE.resolve("orbit-signed.dll"), old.resolve("d3dcompiler_47.dll"));
        Files.copy(PE.resolve("orbit-signed.exe"), old.resolve("OrbitPhone.exe"));
        Files.copy(PE.resolve("orbit-signed.exe"), now.resolve("OrbitPhone.exe"));
        Files.copy(PE.resolve("orbit-trojanized-signed.dll"), now.resolve("ffmpeg.dll"));
        Files.copy(PE.resolve("orbit-sigflip.dll"), now.resolve("d3dcompiler_47.dll"));
    }

    private static Run tollgate(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--trust", ROOT, "--format", "json"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(stderr).doesNotContain("Exception").doesNotContain("\tat ");
        return new Run(exit, new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)), stderr);
    }

    private Run cachedDiff() throws IOException {
        return tollgate("diff", "--cache", cache.toString(), old.toString(), now.toString());
    }

    private Run uncachedDiff() throws IOException {
        return tollgate("diff", "--no-cache", old.toString(), now.toString());
    }

    @Test
    void theSecondDiffTakesOldFromTheCacheAndReportsTheSame() throws IOException {
        Run reference = uncachedDiff();
        Run cold = cachedDiff();
        Run warm = cachedDiff();

        assertThat(reference.err()).isEmpty();
        assertThat(cold.err()).isEqualTo("tollgate: OLD: 0 of 3 files from the scan cache, 3 vetted\n");
        assertThat(warm.err()).isEqualTo("tollgate: OLD: 3 of 3 files from the scan cache, 0 vetted\n");
        assertThat(reference.exit()).isEqualTo(Main.EXIT_BLOCK);
        for (Run r : List.of(cold, warm)) {
            assertThat(r.exit()).isEqualTo(reference.exit());
            assertThat(r.report().get("verdict")).isEqualTo(reference.report().get("verdict"));
            assertThat(r.report().get("diff")).isEqualTo(reference.report().get("diff"));
            assertThat(r.report()).isEqualTo(reference.report()); // findings and NEW's files too
        }
    }

    @Test
    void yesterdaysScanOfOldServesTodaysDiff() throws IOException {
        Run scan = tollgate("scan", "--cache", cache.toString(), old.toString());
        Run diff = cachedDiff();

        assertThat(scan.err()).isEmpty();
        assertThat(diff.err()).isEqualTo("tollgate: OLD: 3 of 3 files from the scan cache, 0 vetted\n");
        assertThat(diff.report()).isEqualTo(uncachedDiff().report());
    }

    @Test
    void oneChangedByteInOldMissesForThatFile() throws IOException {
        cachedDiff();
        Path ffmpeg = old.resolve("ffmpeg.dll");
        byte[] bytes = Files.readAllBytes(ffmpeg);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(ffmpeg, bytes);

        Run warm = cachedDiff();

        assertThat(warm.err()).isEqualTo("tollgate: OLD: 2 of 3 files from the scan cache, 1 vetted\n");
        assertThat(warm.report()).isEqualTo(uncachedDiff().report());
    }

    @Test
    void aDamagedEntryIsOneWarningAndAMiss() throws IOException {
        cachedDiff();
        List<Path> entries;
        try (Stream<Path> files = Files.list(cache)) {
            entries = files.sorted().toList();
        }
        assertThat(entries).hasSize(5); // entries are per name and content: OLD 3, NEW 2 more (the .exe is shared)
        for (Path entry : entries) { // entry names hash the build too, so which is OLD's is not fixed: damage all
            Files.writeString(entry, "{\"format\":\"tollgate-scan-cache/1\",");
        }

        Run warm = cachedDiff();

        List<String> lines = warm.err().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.subList(0, 3)).allSatisfy(line -> assertThat(line)
                .startsWith("tollgate: warning: ignoring scan cache entry " + cache.toRealPath())
                .contains("not valid JSON"));
        assertThat(lines.get(3)).isEqualTo("tollgate: OLD: 0 of 3 files from the scan cache, 3 vetted");
        assertThat(warm.report()).isEqualTo(uncachedDiff().report());
        assertThat(cachedDiff().err()).isEqualTo("tollgate: OLD: 3 of 3 files from the scan cache, 0 vetted\n");
    }
}
