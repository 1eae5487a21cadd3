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
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate diff} on release pairs made from the committed fixtures (fixtures/README.md, "Release pairs"). */
class DiffReleasesIT {

    private static final Path PE = Path.of("..", "fixtures", "pe");
    private static final String ROOT =
            Path.of("..", "fixtures", "pki", "root.pem").toString();

    private record Run(int exit, JsonNode report, String err) {
        List<String> codesOn(String pathSuffix) {
            List<String> codes = new ArrayList<>();
            for (JsonNode f : report.get("findings")) {
                if (f.get("path").asText().endsWith(pathSuffix)) {
                    codes.add(f.get("code").asText());
                }
            }
            return codes;
        }
    }

    private static Run diff(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("diff"));
        all.addAll(List.of(args));
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

    @Test
    void allowsANormalUpdateWithNewVersionSameSignerAndAFewNewImports() throws IOException {
        Run r = diff(
                PE.resolve("orbit-signed.dll").toString(),
                PE.resolve("orbit-1.2.4-signed.dll").toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_ALLOW);
        assertThat(r.report().get("verdict").asText()).isEqualTo("allow");
        assertThat(r.codesOn("orbit-1.2.4-signed.dll"))
                .contains("diff.new-import", "diff.new-network-indicator")
                .doesNotContain("diff.modified-same-version", "diff.signer-changed");
        JsonNode counts = r.report().get("diff").get("counts");
        assertThat(counts.get("changed").asInt()).isEqualTo(1);
    }

    @Test
    void blocksTheThreeCxPatternWithTheRightFindingsOnTheRightFiles(@TempDir Path dir) throws IOException {
        Path old = Files.createDirectories(dir.resolve("OrbitPhone-1.0"));
        Path now = Files.createDirectories(dir.resolve("OrbitPhone-1.0.1"));
        Files.copy(PE.resolve("orbit-signed.dll"), old.resolve("ffmpeg.dll"));
        Files.copy(PE.resolve("orbit-signed.dll"), old.resolve("d3dcompiler_47.dll"));
        Files.copy(PE.resolve("orbit-signed.exe"), old.resolve("OrbitPhone.exe"));
        Files.copy(PE.resolve("orbit-signed.exe"), now.resolve("OrbitPhone.exe"));
        // ffmpeg.dll: new code and imports under the same version, genuinely signed; d3dcompiler_47.dll: a payload
        // inside its certificate table, the signature still valid.
        Files.copy(PE.resolve("orbit-trojanized-signed.dll"), now.resolve("ffmpeg.dll"));
        Files.copy(PE.resolve("orbit-sigflip.dll"), now.resolve("d3dcompiler_47.dll"));

        Run r = diff(old.toString(), now.toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_BLOCK);
        assertThat(r.codesOn("/d3dcompiler_47.dll")).contains("signature.appended-data", "diff.modified-same-version");
        assertThat(r.codesOn("/ffmpeg.dll"))
                .contains("diff.modified-same-version", "diff.new-import", "diff.new-network-indicator");
        assertThat(r.codesOn("/OrbitPhone.exe")).isEmpty();
        assertThat(r.report().get("reasons").get(0).asText()).startsWith("block: signature.appended-data (critical)");
        JsonNode counts = r.report().get("diff").get("counts");
        assertThat(counts.get("changed").asInt()).isEqualTo(2);
        assertThat(counts.get("unchanged").asInt()).isEqualTo(1);
    }

    @Test
    void holdsALookalikeSignerWithSignerChanged() throws IOException {
        Run r = diff(
                PE.resolve("orbit-signed.dll").toString(),
                PE.resolve("orbit-lookalike.dll").toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_HOLD);
        assertThat(r.codesOn("orbit-lookalike.dll")).contains("diff.signer-changed", "signature.untrusted");
        JsonNode changed = StreamSupport.stream(r.report().get("findings").spliterator(), false)
                .filter(f -> f.get("code").asText().equals("diff.signer-changed"))
                .findFirst()
                .orElseThrow();
        assertThat(changed.get("message").asText()).startsWith("lookalike signer");
        assertThat(changed.get("evidence").get("sameSubject").asBoolean()).isTrue();
    }

    @Test
    void aPolicySignerPinBlocksTheLookalike(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                signers:
                  - files: "*.dll"
                    issuers: ["CN=Tollgate Test Code Signing CA, O=Tollgate Test"]
                severities:
                  policy.unexpected-signer: critical
                """);

        Run r = diff(
                PE.resolve("orbit-signed.dll").toString(),
                PE.resolve("orbit-lookalike.dll").toString(),
                "--policy",
                policy.toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_BLOCK);
        assertThat(r.codesOn("orbit-lookalike.dll")).contains("policy.unexpected-signer");
    }

    @Test
    void aMissingReleaseIsAUsageError() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(
                new String[] {"diff", "no-such-release", PE.resolve("orbit.dll").toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no-such-release");
    }
}
