package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scan --rules}: YARA rules compiled once, matches as findings, compile errors as usage errors. */
class ScanRulesTest {

    private static final String TAG_RULE = """
            rule sigflip_tag : tamper
            {
                meta:
                    score = 95
                strings:
                    $tag = { FE ED FA CE FE ED FA CE }
                condition:
                    $tag
            }
            """;

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path release() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("release"));
        byte[] dll = new byte[64];
        byte[] tag = {
            (byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE, (byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE
        };
        System.arraycopy(tag, 0, dll, 40, 8);
        Files.write(dir.resolve("d3dcompiler_47.dll"), dll);
        Files.writeString(dir.resolve("readme.txt"), "clean");
        return dir;
    }

    @Test
    void blocksOnACriticalRuleMatchAndReportsItsEvidence() throws Exception {
        Path rules = Files.writeString(tmp.resolve("3cx.yar"), TAG_RULE);

        int exit = run(
                "scan",
                "--format",
                "json",
                "--rules",
                rules.toString(),
                release().toString());

        assertThat(exit).as(err.toString()).isEqualTo(Main.EXIT_BLOCK);
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json)
                .contains("\"code\": \"yara.match\"")
                .contains("\"rule\": \"sigflip_tag\"")
                .contains("\"namespace\": \"3cx.yar\"")
                .contains("\"identifier\": \"$tag\"")
                .contains("\"offset\": 40");
    }

    @Test
    void givesFileAndLineOfARuleThatDoesNotCompileAsAUsageError() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yar"), "rule a {\n  condition:\n    nosuch\n}\n");

        int exit = run("scan", "--rules", bad.toString(), release().toString());

        assertThat(exit).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(bad + ":3: undefined identifier \"nosuch\"")
                .doesNotContain("Exception");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void savedRulesGiveTheSameVerdictWhenLoaded() throws Exception {
        Path rules = Files.writeString(tmp.resolve("3cx.yar"), TAG_RULE);
        Path saved = tmp.resolve("rules.tgyc");
        Path release = release();

        assertThat(run("scan", "--rules", rules.toString(), "--save-rules", saved.toString(), release.toString()))
                .isEqualTo(Main.EXIT_BLOCK);
        assertThat(run("scan", "--compiled-rules", saved.toString(), release.toString()))
                .isEqualTo(Main.EXIT_BLOCK);
        assertThat(run("scan", "--compiled-rules", rules.toString(), release.toString()))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a Tollgate compiled-rules file");
    }
}
