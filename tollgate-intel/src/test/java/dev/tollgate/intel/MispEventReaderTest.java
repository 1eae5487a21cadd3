package dev.tollgate.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MispEventReaderTest {

    @TempDir
    Path dir;

    @Test
    void loadsToIdsAttributesOfTheEventAndItsObjects() throws Exception {
        TestFeeds.Read feed = TestFeeds.read(TestFeeds.resource("3cx-misp-event.json"));

        assertThat(feed.summary().format()).isEqualTo(FeedFormat.MISP);
        assertThat(feed.values(IndicatorType.SHA256))
                .containsExactly("59e1edf4d82fae4978e97512b0331b7eb21dd4b838b850ba46794d9c7a2c0983");
        assertThat(feed.values(IndicatorType.SHA1)).containsExactly("20d554a80d759c50d6537dd7097fed84dd258b3e");
        assertThat(feed.values(IndicatorType.DOMAIN)).containsExactly("glcloudservice.com");
        assertThat(feed.values(IndicatorType.IP)).containsExactly("203.0.113.50");
        assertThat(feed.values(IndicatorType.MD5)).containsExactly("660ea9b8205fbd2da59fefd26ae5115c");
        assertThat(feed.values(IndicatorType.URL)).isEmpty();
    }

    @Test
    void namesTheEventTheCreatorOrgAndTheAttributeUuid() throws Exception {
        TestFeeds.Read feed = TestFeeds.read(TestFeeds.resource("3cx-misp-event.json"));

        IndicatorSource msi = feed.indicators().getFirst().source();
        assertThat(msi.name()).isEqualTo("3CX DesktopApp supply-chain compromise");
        assertThat(msi.author()).contains("Example CERT");
        assertThat(msi.id()).contains("7d9a0c3e-1b2f-4e55-9d31-000000000001");
        assertThat(msi.description()).contains("3cxdesktopapp-18.12.416.msi");
        assertThat(msi.hasStixId()).isFalse();
        IndicatorSource dylib = feed.indicators().getLast().source();
        assertThat(dylib.name()).isEqualTo("3CX DesktopApp supply-chain compromise (file)");
    }

    @Test
    void countsAttributesNotMeantForDetectionAndUnsupportedTypes() throws Exception {
        TestFeeds.Read feed = TestFeeds.read(TestFeeds.resource("3cx-misp-event.json"));

        assertThat(feed.summary().skipped())
                .containsEntry("to_ids is false (not meant for detection)", 2L)
                .containsEntry("unsupported MISP type 'email-src'", 1L);
        assertThat(feed.summary().problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("MD5 must be 32 hex digits")
                .contains("zz15c0d3"));
    }

    @Test
    void readsSearchResultsWithSeveralEvents() throws Exception {
        Path file = TestFeeds.write(dir, "search.json", """
                {"response": [
                  {"Event": {"info": "one", "Attribute": [{"type": "domain", "value": "one.example", "to_ids": true}]}},
                  "junk",
                  {"Event": {"info": "two", "Attribute": [{"type": "md5", "value": "660EA9B8205FBD2DA59FEFD26AE5115C", "to_ids": "1"}]}}
                ]}
                """);
        TestFeeds.Read feed = TestFeeds.read(file);

        assertThat(feed.indicators()).extracting(i -> i.source().name()).containsExactly("one", "two");
        assertThat(feed.values(IndicatorType.MD5)).containsExactly("660ea9b8205fbd2da59fefd26ae5115c");
    }

    @Test
    void readsCompositeValuesAndRejectsMalformedOnes() throws Exception {
        Path file = TestFeeds.write(dir, "composite.json", """
                {"Event": {"info": "c", "Attribute": [
                  {"type": "domain|ip", "value": "c2.example|2001:db8::5", "to_ids": true},
                  {"type": "hostname|port", "value": "api.c2.example|8443", "to_ids": true},
                  {"type": "ip-src|port", "value": "192.0.2.1", "to_ids": true},
                  {"type": "x509-fingerprint-sha256", "value": "%s", "to_ids": true},
                  {"type": "x509-fingerprint-sha1", "value": "%s", "to_ids": true}
                ]}}
                """.formatted("ab".repeat(32), "cd".repeat(20)));
        TestFeeds.Read feed = TestFeeds.read(file);

        assertThat(feed.values(IndicatorType.DOMAIN)).containsExactly("c2.example", "api.c2.example");
        assertThat(feed.values(IndicatorType.IP)).containsExactly("2001:db8::5");
        assertThat(feed.values(IndicatorType.CERT_SHA256)).containsExactly("ab".repeat(32));
        assertThat(feed.values(IndicatorType.CERT_SHA1)).containsExactly("cd".repeat(20));
        assertThat(feed.summary().problems()).singleElement().satisfies(p -> assertThat(p.toString())
                .contains(":4:3: attribute: a ip-src|port value must have two parts"));
    }

    @Test
    void wrongToIdsTypeIsAProblemNotAGuess() throws Exception {
        Path file = TestFeeds.write(dir, "toids.json", """
                {"Event": {"Attribute": [{"type": "domain", "value": "x.example", "to_ids": "maybe"}]}}
                """);
        TestFeeds.Read feed = TestFeeds.read(file);

        assertThat(feed.indicators()).isEmpty();
        assertThat(feed.summary().problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("to_ids"));
    }

    @Test
    void jsonWithoutEventOrAttributesIsNotAMispFeed() throws Exception {
        Path file = TestFeeds.write(dir, "other.json", "{\"Event\": 3, \"x\": []}");

        assertThatThrownBy(() -> TestFeeds.read(file))
                .isInstanceOf(IntelFeedException.class)
                .hasMessageContaining("other.json:1:1: not a MISP event");
    }
}
