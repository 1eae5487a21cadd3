package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scan --intel} and {@code intel export}, run in-process as a user would run them. */
class IntelCliTest {

    @TempDir
    Path dir;

    private Path release;
    private Path payload;
    private String payloadSha256;

    private record Run(int exit, String out, String err) {}

    @BeforeEach
    void release() throws Exception {
        release = Files.createDirectories(dir.resolve("release"));
        payload = Files.writeString(release.resolve("payload.bin"), "a trojanized library, for the test");
        Files.writeString(release.resolve("app.cfg"), "endpoint=https://cdn.msstorageazure.com/api\n");
        Files.writeString(release.resolve("readme.txt"), "nothing to see here\n");
        payloadSha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(payload)));
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path feed() throws Exception {
        return Files.writeString(dir.resolve("feed.csv"), """
                type,value,description
                sha256,%s,trojanized payload
                domain,msstorageazure.com,3CX C2
                md5,not-hex,a bad line
                email,someone@example.com,not matchable
                """.formatted(payloadSha256));
    }

    @Test
    void scanWithIntelBlocksOnHashAndDomainHitsAndWarnsAboutBadLines() throws Exception {
        Run run = run("scan", "--format", "json", "--intel", feed().toString(), release.toString());

        assertThat(run.exit()).isEqualTo(Main.EXIT_BLOCK);
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("findings"))
                .extracting(f -> f.get("code").asText())
                .containsExactlyInAnyOrder("intel.hash", "intel.domain");
        assertThat(run.err())
                .contains("feed.csv (csv): 2 loaded, 1 skipped (unsupported type 'email': 1)")
                .contains("tollgate: warning: " + dir.resolve("feed.csv") + ":4: MD5 must be 32 hex digits: 'not-hex'");
    }

    @Test
    void aFeedThatCannotBeReadIsAUsageErrorNamingFileAndPosition() throws Exception {
        Path broken =
                Files.writeString(dir.resolve("broken.json"), "{\"type\": \"bundle\", \"objects\": [\n{\"type\": ");

        Run run = run("scan", "--intel", broken.toString(), release.toString());

        assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("tollgate scan: --intel " + broken + ":2:")
                .contains("malformed JSON"));
    }

    @Test
    void exportWritesAStixBundleWithSightings() throws Exception {
        Path bundleFile = dir.resolve("out.stix.json");

        Run run = run(
                "intel",
                "export",
                "--intel",
                feed().toString(),
                "--identity",
                "Example Trading Ltd",
                "--output",
                bundleFile.toString(),
                release.toString());

        assertThat(run.exit()).isEqualTo(Main.EXIT_BLOCK);
        assertThat(run.err()).contains("STIX 2.1 bundle written to " + bundleFile);
        JsonNode bundle = new ObjectMapper().readTree(bundleFile.toFile());
        assertThat(bundle.get("type").asText()).isEqualTo("bundle");
        assertThat(bundle.get("objects"))
                .extracting(o -> o.get("type").asText())
                .contains("identity", "file", "observed-data", "sighting", "indicator");
        assertThat(bundle.get("objects"))
                .filteredOn(o -> o.get("type").asText().equals("file"))
                .hasSize(3);
        assertThat(bundle.get("objects"))
                .filteredOn(o -> o.get("type").asText().equals("sighting"))
                .hasSize(2);
        assertThat(bundle.get("objects"))
                .filteredOn(o -> o.get("type").asText().equals("identity"))
                .singleElement()
                .satisfies(i -> assertThat(i.get("name").asText()).isEqualTo("Example Trading Ltd"));
    }

    @Test
    void exportNeedsAnOutputFile() {
        Run run = run("intel", "export", release.toString());

        assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("tollgate intel export: Missing required option: '--output=FILE'");
    }
}
