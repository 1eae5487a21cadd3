package dev.tollgate.yara;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles {@code src/test/c/layout.c} against the installed libyara headers and checks that every offset, size and
 * constant {@link Libyara} hard-codes is what the C compiler says. Skipped where gcc or libyara-dev is missing.
 */
class NativeLayoutIT {

    @TempDir
    Path tmp;

    @Test
    void hardCodedOffsetsMatchTheInstalledHeaders() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/include/yara.h")), "libyara-dev headers are not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed");
        Path exe = tmp.resolve("layout");
        run(List.of(
                "/usr/bin/gcc",
                "-o",
                exe.toString(),
                Path.of("src/test/c/layout.c").toString()));
        List<String> lines = run(List.of(exe.toString()));

        assertThat(lines).hasSizeGreaterThan(30);
        for (String line : lines) {
            String[] parts = line.split(" ");
            Field field = Libyara.class.getDeclaredField(parts[0]);
            field.setAccessible(true);
            long actual = ((Number) field.get(null)).longValue();
            assertThat(actual).as(parts[0]).isEqualTo(Long.parseLong(parts[1]));
        }
    }

    private List<String> run(List<String> command) throws Exception {
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out);
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        return lines;
    }
}
