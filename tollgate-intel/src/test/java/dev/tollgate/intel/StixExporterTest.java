package dev.tollgate.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.Report;
import dev.tollgate.model.Verdict;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Checks the bundle against the STIX 2.1 required properties of each object type it writes. */
class StixExporterTest {

    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T10:00:00.123456Z"), ZoneOffset.UTC);

    private final Report report = report();
    private final JsonNode bundle = export(report);
    private final Map<String, JsonNode> byId = byId(bundle);

    private static Report report() {
        try {
            IntelAnalyzer analyzer =
                    new IntelAnalyzer(TestFeeds.index("3cx-bundle.json", "3cx-misp-event.json", "3cx-indicators.tsv"));
            FileRecord ffmpeg = IntelAnalyzerTest.file(
                    "3cx.msi!ffmpeg.dll", IntelAnalyzerTest.FFMPEG, List.of(), NetworkIndicators.NONE);
            FileRecord app = IntelAnalyzerTest.file(
                    "3cx.msi!app.exe",
                    IntelAnalyzerTest.CLEAN,
                    List.of(),
                    new NetworkIndicators(List.of(), List.of("cdn.glcloudservice.com"), List.of()));
            FileRecord readme = IntelAnalyzerTest.file(
                    "3cx.msi!readme.txt",
                    new dev.tollgate.model.Hashes("d".repeat(64), "e".repeat(40), "f".repeat(32)),
                    List.of(),
                    NetworkIndicators.NONE);
            List<Finding> findings = new ArrayList<>();
            for (FileRecord file : List.of(ffmpeg, app, readme)) {
                findings.addAll(analyzer.analyze(file));
            }
            return new Report("0.1.0", Verdict.BLOCK, List.of(app, ffmpeg, readme), findings, List.of("intel"));
        } catch (IntelFeedException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode export(Report report) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new StixExporter("Example Trading Ltd", CLOCK).write(report, out);
            return new ObjectMapper().readTree(out.toByteArray());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, JsonNode> byId(JsonNode bundle) {
        Map<String, JsonNode> out = new HashMap<>();
        bundle.get("objects").forEach(o -> out.put(o.get("id").asText(), o));
        return out;
    }

    private List<JsonNode> ofType(String type) {
        List<JsonNode> out = new ArrayList<>();
        bundle.get("objects").forEach(o -> {
            if (o.get("type").asText().equals(type)) {
                out.add(o);
            }
        });
        return out;
    }

    @Test
    void bundleHasTypeIdAndObjects() {
        assertThat(bundle.get("type").asText()).isEqualTo("bundle");
        assertId(bundle, "bundle");
        assertThat(bundle.has("spec_version"))
                .as("a 2.1 bundle has no spec_version")
                .isFalse();
        assertThat(bundle.get("objects").size()).isEqualTo(byId.size());
    }

    @Test
    void everyObjectHasATypedIdAndSdosCarryTheCommonRequiredProperties() {
        bundle.get("objects").forEach(object -> {
            String type = object.get("type").asText();
            assertId(object, type);
            assertThat(object.get("spec_version").asText()).isEqualTo("2.1");
            if (!type.equals("file")) {
                assertTimestamp(object, "created");
                assertTimestamp(object, "modified");
            }
        });
        assertThat(ofType("identity")).singleElement().satisfies(identity -> {
            assertThat(identity.get("name").asText()).isEqualTo("Example Trading Ltd");
            assertThat(identity.get("identity_class").asText()).isEqualTo("organization");
        });
        assertThat(ofType("identity").getFirst().get("created").asText()).isEqualTo("2026-01-15T10:00:00.123Z");
    }

    @Test
    void everyVettedFileIsAFileObservableWithItsHashesAndADeterministicId() {
        assertThat(ofType("file")).hasSize(3);
        JsonNode ffmpeg = ofType("file").stream()
                .filter(f -> f.get("name").asText().equals("ffmpeg.dll"))
                .findFirst()
                .orElseThrow();
        assertThat(ffmpeg.get("hashes").get("SHA-256").asText()).isEqualTo(IntelAnalyzerTest.FFMPEG.sha256());
        assertThat(ffmpeg.get("hashes").get("SHA-1").asText()).isEqualTo(IntelAnalyzerTest.FFMPEG.sha1());
        assertThat(ffmpeg.get("hashes").get("MD5").asText()).isEqualTo(IntelAnalyzerTest.FFMPEG.md5());
        assertThat(ffmpeg.get("size").asLong()).isEqualTo(1234);
        assertThat(ffmpeg.get("x_tollgate_path").asText()).isEqualTo("3cx.msi!ffmpeg.dll");
        // uuid5(00abedb4-..., '{"hashes":{"MD5":"74bc2d0b6680faa1a5a76b27e5479cbc"},"name":"ffmpeg.dll"}'), by Python's
        // uuid
        assertThat(ffmpeg.get("id").asText()).isEqualTo("file--6a6af934-77ab-5f5e-bc19-82109875e33c");
    }

    @Test
    void eachIntelFindingIsASightingObservedInTheFileAndSightedByTheIdentity() {
        String identity = ofType("identity").getFirst().get("id").asText();
        List<JsonNode> sightings = ofType("sighting");
        assertThat(sightings).hasSize(4);
        for (JsonNode sighting : sightings) {
            assertTimestamp(sighting, "first_seen");
            assertTimestamp(sighting, "last_seen");
            assertThat(sighting.get("sighting_of_ref").asText()).startsWith("indicator--");
            assertThat(sighting.get("where_sighted_refs"))
                    .extracting(JsonNode::asText)
                    .containsExactly(identity);
            assertThat(sighting.get("created_by_ref").asText()).isEqualTo(identity);
            JsonNode observed =
                    byId.get(sighting.get("observed_data_refs").get(0).asText());
            assertThat(observed.get("type").asText()).isEqualTo("observed-data");
            assertTimestamp(observed, "first_observed");
            assertTimestamp(observed, "last_observed");
            assertThat(observed.get("number_observed").asInt()).isBetween(1, 999_999_999);
            assertThat(byId.get(observed.get("object_refs").get(0).asText())
                            .get("type")
                            .asText())
                    .isEqualTo("file");
        }
        assertThat(ofType("observed-data")).hasSize(2);
    }

    @Test
    void stixIndicatorsAreReferencedByTheirIdAndOthersAreWrittenOut() {
        List<String> sighted = ofType("sighting").stream()
                .map(s -> s.get("sighting_of_ref").asText())
                .toList();
        assertThat(sighted)
                .contains(
                        "indicator--0a3e0f6b-0d1c-4b55-9f0c-3c9d0b0e7a01",
                        "indicator--0a3e0f6b-0d1c-4b55-9f0c-3c9d0b0e7a07");
        assertThat(byId).doesNotContainKey("indicator--0a3e0f6b-0d1c-4b55-9f0c-3c9d0b0e7a01");

        List<JsonNode> written = ofType("indicator");
        assertThat(written).hasSize(2);
        for (JsonNode indicator : written) {
            assertThat(sighted).contains(indicator.get("id").asText());
            assertThat(indicator.get("pattern_type").asText()).isEqualTo("stix");
            assertTimestamp(indicator, "valid_from");
            assertThat(indicator.get("external_references").get(0).has("source_name"))
                    .isTrue();
            StixPattern.Evaluation roundTrip =
                    StixPattern.evaluate(indicator.get("pattern").asText(), FeedLimits.DEFAULT);
            assertThat(roundTrip.comparisons()).hasSize(1);
            assertThat(roundTrip.skipped()).isEmpty();
        }
        assertThat(written)
                .extracting(i -> i.get("pattern").asText())
                .containsExactlyInAnyOrder(
                        "[file:hashes.'SHA-1' = 'bf939c9c261d27ee7bb92325cc588624fca75429']",
                        "[domain-name:value = 'glcloudservice.com']");
    }

    @Test
    void theSameScanAtTheSameTimeExportsTheSameBundle() {
        assertThat(export(report)).isEqualTo(bundle);
    }

    @Test
    void patternsForEveryIndicatorTypeParseBack() {
        for (IndicatorType type : IndicatorType.values()) {
            String value =
                    switch (type) {
                        case SHA256, CERT_SHA256 -> "a".repeat(64);
                        case SHA1, CERT_SHA1 -> "b".repeat(40);
                        case MD5 -> "c".repeat(32);
                        case DOMAIN -> "x.example";
                        case URL -> "http://x.example/it's";
                        case IP -> "2001:db8::/32";
                        case CERT_SERIAL -> "1b66";
                    };
            StixPattern.Evaluation parsed =
                    StixPattern.evaluate(StixExporter.pattern(type.label(), value), FeedLimits.DEFAULT);
            assertThat(parsed.comparisons()).containsExactly(new StixPattern.Comparison(type, value));
        }
    }

    @Test
    void uuid5MatchesTheRfcAlgorithm() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        assertThat(StixIds.uuid5(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"))
                .hasToString("886313e1-3b8a-5372-9b90-0c9aee199e5d");
        assertThat(StixIds.canonicalString("a\"b\\c\n\u0001é")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001é\"");
    }

    @Test
    void aBlankIdentityIsRefused() {
        assertThatThrownBy(() -> new StixExporter(" ", CLOCK)).hasMessageContaining("blank");
    }

    private static void assertId(JsonNode object, String type) {
        String id = object.get("id").asText();
        assertThat(id).startsWith(type + "--");
        assertThat(id.substring(type.length() + 2)).matches(UUID_TEXT);
    }

    private static void assertTimestamp(JsonNode object, String field) {
        assertThat(object.has(field)).as(object.get("type") + " has " + field).isTrue();
        assertThat(object.get(field).asText()).matches(TIMESTAMP);
    }
}
