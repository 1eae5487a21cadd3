package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tollgate} launcher's choice of JIT mode: C1 alone for scans and diffs, unless an input holds a file over
 * 8 MiB that starts like a container Java decodes (xz, .deb, .msi...), or an intel feed is over 4 MiB, where C2 pays
 * for itself. Run with
 * {@code TOLLGATE_LAUNCHER_DRY_RUN}, which prints the java command instead of running it.
 */
class LauncherJitIT {

    private static final Path LAUNCHER = Path.of("..", "tollgate");
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    @TempDir
    Path dir;

    @Test
    void scanOfExecutablesRunsOnC1Alone() throws Exception {
        Path release = Files.createDirectories(dir.resolve("release"));
        Files.copy(Path.of("..", "fixtures", "pe", "orbit-signed.dll"), release.resolve("Orbit.dll"));
        large(release.resolve("data.bin"), new byte[0]); // large, but no container

        assertThat(launch(Map.of(), "scan", release.toString())).contains(C1_ONLY);
    }

    @Test
    void largeContainerDecodedInJavaKeepsC2() throws Exception {
        Path release = Files.createDirectories(dir.resolve("release"));
        Files.copy(Path.of("..", "fixtures", "pe", "orbit-signed.dll"), release.resolve("Orbit.dll"));
        for (String magic : List.of("fd377a585a00", "213c617263683e0a", "d0cf11e0a1b11ae1", "4d534346")) {
            Path container = large(release.resolve("payload"), HexFormat.of().parseHex(magic));

            assertThat(launch(Map.of(), "scan", release.toString())).as(magic).doesNotContain(C1_ONLY);
            assertThat(launch(Map.of(), "diff", dir.toString(), container.toString()))
                    .as(magic)
                    .doesNotContain(C1_ONLY);
        }
    }

    @Test
    void smallContainerDoesNotNeedC2() throws Exception {
        Path small = Files.write(dir.resolve("small.xz"), HexFormat.of().parseHex("fd377a585a000004"));

        assertThat(launch(Map.of(), "scan", small.toString())).contains(C1_ONLY);
    }

    @Test
    void largeIntelFeedKeepsC2ForItsParsing() throws Exception {
        Path release = Files.createDirectories(dir.resolve("release"));
        Path feed = dir.resolve("feed.csv");
        try (OutputStream out = Files.newOutputStream(feed)) {
            out.write("type,value\n".getBytes(StandardCharsets.US_ASCII));
            byte[] line = ("sha256," + "ab".repeat(32) + "\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < (5 << 20) / line.length; i++) {
                out.write(line);
            }
        }
        Path small = Files.writeString(dir.resolve("small.csv"), "type,value\ndomain,example.com\n");

        assertThat(launch(Map.of(), "scan", "--intel", feed.toString(), release.toString()))
                .doesNotContain(C1_ONLY);
        assertThat(launch(Map.of(), "scan", "--intel=" + feed, release.toString()))
                .doesNotContain(C1_ONLY);
        assertThat(launch(Map.of(), "scan", "--intel", small.toString(), release.toString()))
                .contains(C1_ONLY);
    }

    @Test
    void environmentForcesEitherMode() throws Exception {
        Path container = large(dir.resolve("payload.xz"), HexFormat.of().parseHex("fd377a585a00"));

        assertThat(launch(Map.of("TOLLGATE_JIT", "c1"), "scan", container.toString()))
                .contains(C1_ONLY);
        assertThat(launch(Map.of("TOLLGATE_JIT", "tiered"), "scan", dir.toString()))
                .doesNotContain(C1_ONLY);
    }

    @Test
    void otherCommandsKeepTheDefaultJit() throws Exception {
        assertThat(launch(Map.of(), "intel", "export", "--help")).doesNotContain(C1_ONLY);
    }

    @Test
    void unknownModeIsAUsageError() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", LAUNCHER.toString(), "scan", dir.toString());
        builder.environment().put("TOLLGATE_LAUNCHER_DRY_RUN", "1");
        builder.environment().put("TOLLGATE_JIT", "fast");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("TOLLGATE_JIT must be auto, c1 or tiered, not 'fast'");
    }

    /** The launcher's java command, one word a line, for {@code args}. */
    private static List<String> launch(Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("TOLLGATE_LAUNCHER_DRY_RUN", "1");
        builder.environment().remove("TOLLGATE_JIT");
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        List<String> words = output.lines().toList();
        assertThat(words).anyMatch(w -> w.endsWith("/bin/java")).contains("-jar");
        return words;
    }

    /** A 9 MiB file that starts with {@code magic}. */
    private static Path large(Path file, byte[] magic) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(magic);
            out.write(new byte[9 << 20]);
        }
        return file;
    }
}
