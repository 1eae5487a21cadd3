package dev.tollgate.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A million-line feed loads completely and every kind of lookup finds its values. (Timing: bench/intel-million.sh.) */
class MillionIndicatorsIT {

    @TempDir
    Path dir;

    @Test
    void loadsAMillionIndicatorsAndFindsThem() throws Exception {
        Path feed = dir.resolve("million.csv");
        String[] samples = MillionIndicatorFeed.write(feed, 42);

        LoadedIntel intel = IntelFeeds.load(List.of(feed), TestFeeds.NOW, FeedLimits.DEFAULT);

        assertThat(intel.feeds().getFirst().loaded()).isEqualTo(MillionIndicatorFeed.TOTAL);
        assertThat(intel.feeds().getFirst().problems()).isEmpty();
        assertThat(intel.index().size()).isEqualTo(MillionIndicatorFeed.TOTAL);
        assertThat(intel.index().size(IndicatorType.SHA256)).isEqualTo(MillionIndicatorFeed.SHA256);
        assertThat(intel.index().matchFileHash(IndicatorType.SHA256, samples[0]))
                .hasSize(1);
        assertThat(intel.index().matchDomain("www." + samples[1])).hasSize(1);
        assertThat(intel.index().matchIp(samples[2])).hasSize(1);
        assertThat(intel.index().matchFileHash(IndicatorType.SHA256, "0".repeat(64)))
                .isEmpty();
    }
}
