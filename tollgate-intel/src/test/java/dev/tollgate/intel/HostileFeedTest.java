package dev.tollgate.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feeds made to break the readers: each must fail with one line naming the file and position, or load what is sound. */
class HostileFeedTest {

    @TempDir
    Path dir;

    private static final String INDICATOR = """
            {"type": "indicator", "spec_version": "2.1", "id": "indicator--%s",
             "pattern": "[domain-name:value = 'a.example']", "pattern_type": "stix", "valid_from": %s}""";

    private static String indicator(String uuidTail, String validFrom) {
        return INDICATOR.formatted("11111111-2222-4333-8444-" + uuidTail, validFrom);
    }

    @Test
    void truncatedJsonNamesTheFileAndWhereItEnded() throws Exception {
        Path file = TestFeeds.write(dir, "cut.json", "{\"type\": \"bundle\", \"objects\": [\n  {\"type\": \"indic");

        assertThatThrownBy(() -> TestFeeds.read(file))
                .isInstanceOf(IntelFeedException.class)
                .hasMessageStartingWith(file + ":2:")
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void deeplyNestedJsonIsRefusedBeforeItExhaustsTheStack() throws Exception {
        String nested = "[".repeat(100_000);
        Path file = TestFeeds.write(dir, "deep.json", "{\"type\": \"bundle\", \"objects\": [" + nested);

        assertThatThrownBy(() -> TestFeeds.read(file))
                .isInstanceOf(IntelFeedException.class)
                .hasMessageStartingWith(file + ":1:")
                .hasMessageContaining("over a limit")
                .hasMessageContaining("nesting depth");
    }

    @Test
    void hugeStringsAreRefusedAtTheLimit() throws Exception {
        FeedLimits small = new FeedLimits(1 << 30, 1000, 10_000, 64, 4096, 32, 4096);
        Path file = TestFeeds.write(
                dir,
                "big.json",
                "{\"type\": \"bundle\", \"objects\": [{\"type\": \"x\", \"name\": \"" + "A".repeat(20_000) + "\"}]}");

        assertThatThrownBy(() -> TestFeeds.read(file, small))
                .isInstanceOf(IntelFeedException.class)
                .hasMessageContaining("over a limit")
                .hasMessageContaining("String value length");
    }

    @Test
    void oversizedFilesAreRefusedBeforeReading() throws Exception {
        FeedLimits small = new FeedLimits(100, 1000, 10_000, 64, 4096, 32, 4096);
        Path file = TestFeeds.write(dir, "large.csv", "md5,660ea9b8205fbd2da59fefd26ae5115c\n".repeat(10));

        assertThatThrownBy(() -> TestFeeds.read(file, small))
                .hasMessage(file + ": 370 bytes, over the limit of 100 bytes");
    }

    @Test
    void tooManyEntriesIsAnErrorNotASilentTruncation() throws Exception {
        FeedLimits small = new FeedLimits(1 << 30, 5, 10_000, 64, 4096, 32, 4096);
        Path file = TestFeeds.write(dir, "many.csv", "md5,660ea9b8205fbd2da59fefd26ae5115c\n".repeat(6));

        assertThatThrownBy(() -> TestFeeds.read(file, small))
                .hasMessage(file + ":6: more than 5 entries; raise the limit to load this feed");
    }

    @Test
    void wrongTypesAndInvalidDatesAreProblemsOfTheirIndicator() throws Exception {
        String bundle = "{\"type\": \"bundle\", \"objects\": [\n"
                + indicator("000000000001", "\"2023-02-30T00:00:00Z\"") + ",\n"
                + indicator("000000000002", "17") + ",\n"
                + "{\"type\": \"indicator\", \"id\": \"indicator--11111111-2222-4333-8444-000000000003\", \"pattern\": 42},\n"
                + "{\"type\": \"indicator\", \"id\": \"indicator--nope\", \"pattern\": \"[a:b = 'c']\"},\n"
                + "{\"type\": \"indicator\", \"id\": \"indicator--11111111-2222-4333-8444-000000000005\", \"revoked\": \"yes\", \"pattern\": \"[a:b = 'c']\"},\n"
                + "7,\n"
                + indicator("000000000006", "\"2023-03-30T00:00:00Z\"") + "\n]}";
        Path file = TestFeeds.write(dir, "types.json", bundle);
        TestFeeds.Read feed = TestFeeds.read(file);

        assertThat(feed.values(IndicatorType.DOMAIN)).containsExactly("a.example");
        assertThat(feed.summary().problems())
                .extracting(FeedProblem::toString)
                .containsExactlyInAnyOrder(
                        file + ":9:1: bundle object is not a JSON object",
                        file + ":2:1: indicator: \"valid_from\" is not an RFC 3339 timestamp: '2023-02-30T00:00:00Z'",
                        file + ":4:1: indicator: \"valid_from\" must be a string, not number",
                        file + ":6:1: indicator: \"pattern\" must be a string, not number",
                        file + ":7:1: indicator: indicator id is not 'indicator--<uuid>': 'indicator--nope'",
                        file + ":8:1: indicator: \"revoked\" must be true or false");
    }

    @Test
    void aBadPatternIsAProblemWithItsOffset() throws Exception {
        Path file = TestFeeds.write(dir, "pattern.json", """
                {"type": "bundle", "objects": [
                {"type": "indicator", "id": "indicator--11111111-2222-4333-8444-000000000001", "pattern": "[domain-name:value = 'a.example' OR]"}
                ]}""");

        assertThat(TestFeeds.read(file).summary().problems())
                .singleElement()
                .hasToString(file
                        + ":2:1: indicator: pattern offset 35: expected an object path such as file:hashes.'SHA-256'"
                        + " but found ']' in '[domain-name:value = 'a.example' OR]'");
    }

    @Test
    void binaryDataIsNotAFeed() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.write(file, new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0});

        assertThatThrownBy(() -> TestFeeds.read(file))
                .hasMessage(file + ": binary data, not an intel feed (STIX 2.1 or MISP JSON, CSV or TSV)");
    }

    @Test
    void otherJsonIsNotAFeed() throws Exception {
        Path file = TestFeeds.write(dir, "package.json", "{\"name\": \"left-pad\", \"version\": \"1.3.0\"}");

        assertThatThrownBy(() -> TestFeeds.read(file))
                .hasMessage(file + ":1:1: JSON, but neither a STIX 2.1 bundle nor a MISP event");
    }

    @Test
    void aJsonFileThatIsNotJsonIsNotAFeed() throws Exception {
        Path file = TestFeeds.write(dir, "feed.json", "sha256,abc\n");

        assertThatThrownBy(() -> TestFeeds.read(file)).hasMessageStartingWith(file + ":1:1: not JSON");
    }

    @Test
    void aMissingFileIsOneLine() {
        Path file = dir.resolve("absent.json");

        assertThatThrownBy(() -> TestFeeds.read(file)).hasMessage(file + ": no such file");
    }

    @Test
    void anOverlongCsvLineIsAProblemAndTheNextLineStillLoads() throws Exception {
        FeedLimits small = new FeedLimits(1 << 30, 1000, 100, 64, 4096, 32, 4096);
        Path file = TestFeeds.write(
                dir, "long.csv", "domain," + "a".repeat(200_000) + ".example\nmd5,660ea9b8205fbd2da59fefd26ae5115c\n");
        TestFeeds.Read feed = TestFeeds.read(file, small);

        assertThat(feed.values(IndicatorType.MD5)).hasSize(1);
        assertThat(feed.summary().problems()).singleElement().hasToString(file + ":1: line longer than 100 characters");
    }

    @Test
    void aFeedOfGarbageKeepsAThousandProblemsAndCountsTheRest() throws Exception {
        Path file = TestFeeds.write(
                dir, "junk.csv", "md5,660ea9b8205fbd2da59fefd26ae5115c\n" + "md5,nothex\n".repeat(1500));
        TestFeeds.Read feed = TestFeeds.read(file);

        assertThat(feed.summary().problems()).hasSize(FeedContext.MAX_PROBLEMS_KEPT + 1);
        assertThat(feed.summary().problems().getLast()).hasToString(file + ":end: 500 more problems not listed");
    }

    @Test
    void controlCharactersInValuesDoNotReachMessages() throws Exception {
        Path file = TestFeeds.write(
                dir, "esc.csv", "md5,660ea9b8205fbd2da59fefd26ae5115c\ndomain,evil\u001b[31m.example\n");

        assertThat(TestFeeds.read(file).summary().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).doesNotContain("\u001b").contains("evil?[31m.example"));
    }
}
