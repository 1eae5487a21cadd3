package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An install script that pipes a download from a host in the threat intel to a shell blocks the package, whether it
 * is a .deb's postinst or an rpm's %post scriptlet (fixtures/failclosed/make-failclosed.sh: the same script in both).
 */
class InstallScriptIntelTest {

    private static final Path FIXTURES = Path.of("..", "fixtures", "failclosed");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "orbit-postinst.deb, orbit-postinst.deb!control.tar.xz!postinst",
        "orbit-postinst.rpm, orbit-postinst.rpm!rpm-scriptlets/%post"
    })
    void aPostInstallScriptThatTalksToAnIntelHostBlocksThePackage(String name, String script) throws Exception {
        Path feed = Files.writeString(dir.resolve("feed.csv"), """
                type,value,description
                domain,cdn.orbit-update.example.com,installer dropper
                """);
        Path pkg = Files.copy(FIXTURES.resolve(name), dir.resolve(name));

        MainTest.Run run =
                MainTest.run("scan", "--no-cache", "--format", "json", "--intel", feed.toString(), pkg.toString());

        assertThat(run.exit()).isEqualTo(Main.EXIT_BLOCK);
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("findings")).anySatisfy(f -> {
            assertThat(f.get("code").asText()).isEqualTo("intel.domain");
            assertThat(f.get("path").asText()).isEqualTo(dir.resolve(script).toString());
        });
    }
}
