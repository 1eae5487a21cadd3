package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A problem's message says what is wrong with the file, never what an exception inside a library said. */
class ProblemTest {

    @Test
    void keepsWhatAReaderSaysAboutTheBytes() {
        assertThat(Problem.reason(new IOException("Truncated TAR archive"))).isEqualTo("Truncated TAR archive");
    }

    @Test
    void dropsTheTextOfAWrappedException() {
        IOException wrapped = new IOException(new IllegalArgumentException("negative position: -16"));

        assertThat(Problem.reason(wrapped)).doesNotContain("Exception", "negative position");
    }

    @Test
    void dropsAMessageThatIsAnExceptionsName() {
        assertThat(Problem.reason(new IOException("io.airlift.compress.MalformedInputException: offset=3")))
                .doesNotContain("airlift", "Exception");
        assertThat(Problem.reason(new IOException((String) null))).isNotBlank();
    }
}
