package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The default entry limit against a zip of 100,001 tiny entries, generated here rather than committed. The timeout
 * only catches a walk that went quadratic or hangs (it takes seconds on a quiet machine); speed is for benchmarks.
 */
class ManyEntriesIT {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void stopsAfterOneHundredThousandEntriesWithTheDefaultLimits() {
        byte[] zip = UnpackerTest.zipOf(100_001);

        Collected c = Collected.unpack("many.zip", zip, Limits.defaults());

        assertThat(c.kinds()).containsExactly(ProblemKind.LIMIT);
        assertThat(c.problems.getFirst().evidence()).containsEntry("limit", "maxEntries");
        assertThat(c.files).hasSize(100_000);
    }
}
