package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.model.FindingCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tollgate codes} lists every finding code of the catalog with its default severity and meaning. */
class CodesCommandTest {

    @Test
    void listsEveryCodeWithItsDefaultSeverityAndMeaning() {
        MainTest.Run run = MainTest.run("codes", "--format", "tsv");

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(FindingCode.values().length);
        for (FindingCode c : FindingCode.values()) {
            assertThat(lines).contains(c.code() + "\t" + c.defaultSeverity().label() + "\t" + c.meaning());
        }
        assertThat(lines).contains("archive.limit\thigh\t" + FindingCode.ARCHIVE_LIMIT.meaning());
    }

    @Test
    void theTextFormatAlignsTheColumns() {
        MainTest.Run run = MainTest.run("codes");

        assertThat(run.exit()).isZero();
        assertThat(run.out().lines()).anySatisfy(l -> assertThat(l).matches("release\\.empty +high +The release .*"));
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        MainTest.Run run = MainTest.run("codes", "--format", "xml");

        assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
    }
}
