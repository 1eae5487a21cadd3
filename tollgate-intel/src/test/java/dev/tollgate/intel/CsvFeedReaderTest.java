package dev.tollgate.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFeedReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsTheAnalystTsvLayoutWithNotesAndSources() throws Exception {
        TestFeeds.Read feed = TestFeeds.read(TestFeeds.resource("3cx-indicators.tsv"));

        assertThat(feed.summary().format()).isEqualTo(FeedFormat.CSV);
        assertThat(feed.values(IndicatorType.SHA256))
                .containsExactly("c485674ee63ec8d4e8fde9800788175a8b02d3f9416d0e763360fff7f8eb4e02");
        assertThat(feed.values(IndicatorType.DOMAIN)).containsExactly("azuredeploystore.com", "www.journalide.org");
        assertThat(feed.values(IndicatorType.CERT_SERIAL)).containsExactly("1b6611df9c9a4d6ecc8ed50c9b917873");
        assertThat(feed.values(IndicatorType.URL))
                .containsExactly("https://raw.githubusercontent.com/IconStorages/images/main/icon%d.ico");
        Indicator first = feed.indicators().getFirst();
        assertThat(first.source().name()).isEqualTo("ffmpeg.dll signed by 3CX Ltd, backdoored at entry point");
        assertThat(first.source().author()).contains("SOP;ELA;SB");
        assertThat(first.source().id()).isEmpty();
    }

    @Test
    void skipsTypesItCannotMatchAndReportsTheTruncatedHashByLine() throws Exception {
        TestFeeds.Read feed = TestFeeds.read(TestFeeds.resource("3cx-indicators.tsv"));

        assertThat(feed.summary().skipped())
                .containsEntry("unsupported type 'email'", 1L)
                .containsEntry("unsupported type 'file_name'", 1L);
        assertThat(feed.summary().problems()).singleElement().satisfies(p -> {
            assertThat(p.position()).isEqualTo("12");
            assertThat(p.message()).contains("SHA-256 must be 64 hex digits");
        });
        assertThat(feed.summary().loaded()).isEqualTo(7);
    }

    @Test
    void readsCsvWithHeaderQuotesAndEveryType() throws Exception {
        TestFeeds.Read feed = TestFeeds.read(TestFeeds.resource("mixed.csv"));

        assertThat(feed.values(IndicatorType.SHA256))
                .containsExactly("8ab3a5eaaf8c296080fadf56b265194681d7da5da7c02562953a4cb60e147423");
        assertThat(feed.values(IndicatorType.DOMAIN)).containsExactly("zacharryblogs.com");
        assertThat(feed.values(IndicatorType.IP)).containsExactly("192.0.2.0/24", "2001:db8:1::/48", "203.0.113.9");
        assertThat(feed.values(IndicatorType.CERT_SHA256))
                .containsExactly("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
        assertThat(feed.values(IndicatorType.URL)).containsExactly("https://cdn.example.org/payload.bin?x=1");
        assertThat(feed.indicators().get(1).source().name()).isEqualTo("ICONIC Stealer payload, MD5");
        assertThat(feed.indicators().get(2).source().name()).isEqualTo("C2 (icon8), \"trailing dot and capitals\"");
    }

    @Test
    void reportsEachBadLineAndLoadsTheRest() throws Exception {
        TestFeeds.Read feed = TestFeeds.read(TestFeeds.resource("mixed.csv"));

        assertThat(feed.summary().problems()).extracting(FeedProblem::position).containsExactly("11", "12", "13");
        assertThat(feed.summary().problems().get(0).message()).contains("at least two labels");
        assertThat(feed.summary().problems().get(1).message()).contains("not an ipv4 address");
        assertThat(feed.summary().problems().get(2).message()).contains("SHA-1 must be 40 hex digits");
        assertThat(feed.summary().loaded()).isEqualTo(9); // the SHA-1 thumbprint on line 9 included
    }

    @Test
    void proseIsNotAFeed() throws Exception {
        Path file = TestFeeds.write(dir, "notes.txt", "Dear team\nplease block these\n");

        assertThatThrownBy(() -> TestFeeds.read(file))
                .isInstanceOf(IntelFeedException.class)
                .hasMessageStartingWith(file + ": not an indicator list")
                .hasMessageContaining("line 1: expected type,value");
    }

    @Test
    void anUnterminatedQuoteIsAProblemOnItsLine() throws Exception {
        Path file = TestFeeds.write(dir, "q.csv", "domain,ok.example\ndomain,\"broken.example\n");
        TestFeeds.Read feed = TestFeeds.read(file);

        assertThat(feed.values(IndicatorType.DOMAIN)).containsExactly("ok.example");
        assertThat(feed.summary().problems()).singleElement().hasToString(file + ":2: unterminated quoted field");
    }

    @Test
    void windowsLineEndingsAndBlankLinesAreFine() throws Exception {
        Path file = TestFeeds.write(dir, "crlf.csv", "type,value\r\n\r\nmd5,660ea9b8205fbd2da59fefd26ae5115c\r\n");

        assertThat(TestFeeds.read(file).values(IndicatorType.MD5)).containsExactly("660ea9b8205fbd2da59fefd26ae5115c");
    }
}
