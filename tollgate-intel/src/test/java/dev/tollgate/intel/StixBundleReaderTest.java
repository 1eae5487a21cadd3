package dev.tollgate.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StixBundleReaderTest {

    private final TestFeeds.Read feed = read();

    private static TestFeeds.Read read() {
        try {
            return TestFeeds.read(TestFeeds.resource("3cx-bundle.json"));
        } catch (IntelFeedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void detectsStixAndLoadsEveryEvaluableComparison() {
        assertThat(feed.summary().format()).isEqualTo(FeedFormat.STIX);
        assertThat(feed.values(IndicatorType.SHA256))
                .containsExactlyInAnyOrder(
                        "7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896",
                        "aa124a4b4df12b34e74ee7f6c683b2ebec4ce9a8edcf9be345823b4fdcf5d868");
        assertThat(feed.values(IndicatorType.MD5))
                .containsExactlyInAnyOrder("f3d4144860ca10ba60f7ef4d176cc736", "74bc2d0b6680faa1a5a76b27e5479cbc");
        assertThat(feed.values(IndicatorType.DOMAIN))
                .containsExactlyInAnyOrder(
                        "akamaicontainer.com", "msstorageazure.com", "pbxsources.com", "journalide.org");
        assertThat(feed.values(IndicatorType.URL))
                .containsExactly("https://raw.githubusercontent.com/IconStorages/images/main/icon13.ico");
        assertThat(feed.values(IndicatorType.IP)).containsExactlyInAnyOrder("198.51.100.0/24", "2001:db8::dead:beef");
        assertThat(feed.values(IndicatorType.CERT_SERIAL)).containsExactly("1b6611df9c9a4d6ecc8ed50c9b917873");
        assertThat(feed.summary().loaded()).isEqualTo(feed.indicators().size()).isEqualTo(12);
    }

    @Test
    void keepsNameIdAndCreatorIdentityForEvidence() {
        Indicator ffmpeg = feed.indicators().getFirst();
        assertThat(ffmpeg.source().name()).isEqualTo("3CX ffmpeg.dll, backdoored");
        assertThat(ffmpeg.source().id()).contains("indicator--0a3e0f6b-0d1c-4b55-9f0c-3c9d0b0e7a01");
        assertThat(ffmpeg.source().author()).contains("Example ISAC");
        assertThat(ffmpeg.source().description())
                .hasValueSatisfying(d -> assertThat(d).contains("FEEDFACE"));
        assertThat(ffmpeg.source().hasStixId()).isTrue();
    }

    @Test
    void countsEverySkippedPatternByReason() {
        assertThat(feed.summary().skipped())
                .containsEntry("revoked", 1L)
                .containsEntry("expired (valid_until has passed)", 1L)
                .containsEntry("not yet valid (valid_from is in the future)", 1L)
                .containsEntry("pattern_type 'sigma' (only stix patterns are evaluated)", 1L)
                .containsEntry("operator MATCHES", 1L)
                .containsEntry("AND across different objects (cannot be decided per file)", 1L)
                .containsKey("qualifier REPEATS")
                .containsKey("qualifier WITHIN");
    }

    @Test
    void reportsABadHashWithTheLineAndColumnOfItsIndicator() {
        assertThat(feed.summary().problems()).hasSize(1);
        FeedProblem problem = feed.summary().problems().getFirst();
        assertThat(problem.position()).isEqualTo("176:5");
        assertThat(problem.toString())
                .startsWith(TestFeeds.resource("3cx-bundle.json") + ":176:5: SHA-256 must be 64 hex digits")
                .contains("not-a-hash");
    }

    @Test
    void revocationAndWindowsAreJudgedAtScanTime() throws IntelFeedException {
        List<Indicator> in2023 = new ArrayList<>();
        IntelFeeds.read(TestFeeds.resource("3cx-bundle.json"), Instant.parse("2023-05-01T00:00:00Z"), in2023::add);
        assertThat(in2023)
                .extracting(Indicator::value)
                .contains("expired.example")
                .doesNotContain("revoked.example");

        List<Indicator> before = new ArrayList<>();
        IntelFeeds.read(TestFeeds.resource("3cx-bundle.json"), Instant.parse("2023-03-29T23:59:59Z"), before::add);
        assertThat(before).isEmpty();
    }

    @Test
    void validUntilIsExclusive() throws Exception {
        List<Indicator> atTheEnd = new ArrayList<>();
        IntelFeeds.read(TestFeeds.resource("3cx-bundle.json"), Instant.parse("2023-06-30T00:00:00Z"), atTheEnd::add);
        assertThat(atTheEnd).extracting(Indicator::value).doesNotContain("expired.example");
    }
}
