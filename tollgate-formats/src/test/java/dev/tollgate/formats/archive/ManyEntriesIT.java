package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The default entry limit against a zip of 100,001 tiny entries, generated here rather than committed. */
class ManyEntriesIT {

    @Test
    void stopsAfterOneHundredThousandEntriesWithTheDefaultLimits() {
        byte[] zip = UnpackerTest.zipOf(100_001);

        long start = System.nanoTime();
        Collected c = Collected.unpack("many.zip", zip, Limits.defaults());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(c.kinds()).containsExactly(ProblemKind.LIMIT);
        assertThat(c.problems.getFirst().evidence()).containsEntry("limit", "maxEntries");
        assertThat(c.files).hasSize(100_000);
        assertThat(millis).isLessThan(30_000);
    }
}
