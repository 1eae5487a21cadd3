package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitsTest {

    @Test
    void setsEachLimitByTheNameItsFindingsUse() {
        Limits l = Limits.defaults()
                .with("maxTotalBytes", "20GiB")
                .with("maxEntryBytes", "512M")
                .with("maxRatio", "1000")
                .with("bombMinimumBytes", "64MiB")
                .with("maxEntries", "250000")
                .with("maxDepth", "12")
                .with("maxNameLength", "1024")
                .with("memoryThreshold", "8MiB");

        assertThat(l)
                .isEqualTo(new Limits(
                        20L << 30,
                        512L << 20,
                        1000,
                        64L << 20,
                        250_000,
                        12,
                        1024,
                        8L << 20,
                        Limits.DEFAULT_MAX_ZSTD_WINDOW));
    }

    @Test
    void acceptsPlainBytesAndABSuffix() {
        assertThat(Limits.defaults().with("maxEntryBytes", "4096").maxEntryBytes())
                .isEqualTo(4096);
        assertThat(Limits.defaults().with("maxEntryBytes", "4096B").maxEntryBytes())
                .isEqualTo(4096);
        assertThat(Limits.defaults().with("maxTotalBytes", "1 TiB").maxTotalBytes())
                .isEqualTo(1L << 40);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "maxDepth|0|must be between 1 and 64",
                "maxDepth|65|must be between 1 and 64",
                "maxDepth|-1|not a whole number",
                "maxDepth|12GiB|not a whole number",
                "maxDepth|1.5|not a whole number",
                "maxDepth|''|not a whole number",
                "maxEntries|99999999999999999999|not a whole number",
                "maxTotalBytes|9223372036854775807|must be between 1 and",
                "maxTotalBytes|9999999999TiB|too large",
                "maxTotalBytes|10KB|not a whole number of bytes",
                "maxTotalBytes|0x10|not a whole number",
                "memoryThreshold|2GiB|must be between 1 and 1073741824 bytes",
                "maxRatio|0|must be between 1 and 1000000",
            })
    void refusesBadValuesNamingTheLimitAndTheValue(String name, String value, String why) {
        assertThatThrownBy(() -> Limits.defaults().with(name, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(name + "=" + value + ": ")
                .hasMessageContaining(why);
    }

    @Test
    void refusesAnUnknownNameListingTheKnownOnes() {
        assertThatThrownBy(() -> Limits.defaults().with("max-depth", "3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown limit 'max-depth' (expected one of maxTotalBytes, maxEntryBytes, maxRatio, "
                        + "bombMinimumBytes, maxEntries, maxDepth, maxNameLength, memoryThreshold, maxZstdWindow)");
    }

    @Test
    void everyNameIsARecordComponent() {
        assertThat(Limits.NAMES)
                .containsExactlyElementsOf(java.util.Arrays.stream(Limits.class.getRecordComponents())
                        .map(java.lang.reflect.RecordComponent::getName)
                        .toList());
    }
}
