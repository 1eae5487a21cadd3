package dev.tollgate.yara;

import static dev.tollgate.yara.TestData.TAG;
import static dev.tollgate.yara.TestData.path;
import static dev.tollgate.yara.TestData.withAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.tollgate.analysis.AnalysisException;
import dev.tollgate.formats.ByteView;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Hashes;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class YaraAnalyzerTest {

    static FileRecord record(String path, int size) {
        return new FileRecord(
                path,
                size,
                new Hashes("0".repeat(64), "0".repeat(40), "0".repeat(32)),
                FileType.DATA,
                0,
                List.of(),
                NetworkIndicators.NONE,
                Optional.empty(),
                List.of(),
                List.of());
    }

    @Test
    void reportsAMatchAsYaraMatchWithTheRulesEvidence() throws Exception {
        try (YaraRules rules = YaraRules.compile(List.of(path("rules/tag.yar")))) {
            byte[] data = withAt(256, TAG, 64);
            List<Finding> findings = YaraAnalyzer.of(rules, Duration.ofSeconds(10))
                    .analyze(record("OrbitPhone.zip!d3dcompiler_47.dll", data.length), ByteView.of(data));

            assertThat(findings).singleElement().satisfies(f -> {
                assertThat(f.code()).isEqualTo("yara.match");
                assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(f.path()).isEqualTo("OrbitPhone.zip!d3dcompiler_47.dll");
                assertThat(f.message()).startsWith("YARA rule tag.yar:sigflip_tag matched: the SigFlip tag");
                assertThat(f.evidence())
                        .contains(
                                entry("rule", "sigflip_tag"),
                                entry("namespace", "tag.yar"),
                                entry("tags", List.of("tamper", "sigflip")),
                                entry("strings", List.of(Map.of("identifier", "$tag", "offset", 64L, "length", 8))))
                        .containsKey("meta")
                        .doesNotContainKey("stringsTruncated");
            });
        }
    }

    @Test
    void takesSeverityFromTheSeverityMetaFirst() {
        assertThat(YaraAnalyzer.severityOf(Map.of("severity", "Medium", "score", 99L)))
                .isEqualTo(Severity.MEDIUM);
        assertThat(YaraAnalyzer.severityOf(Map.of("severity", "info"))).isEqualTo(Severity.INFO);
    }

    @Test
    void mapsScoresToSeveritiesAtTheDocumentedBounds() {
        assertThat(YaraAnalyzer.severityOf(Map.of("score", 100L))).isEqualTo(Severity.CRITICAL);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", 90L))).isEqualTo(Severity.CRITICAL);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", 89L))).isEqualTo(Severity.HIGH);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", 70L))).isEqualTo(Severity.HIGH);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", 69L))).isEqualTo(Severity.MEDIUM);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", 40L))).isEqualTo(Severity.MEDIUM);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", 39L))).isEqualTo(Severity.LOW);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", 1L))).isEqualTo(Severity.LOW);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", 0L))).isEqualTo(Severity.INFO);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", 250L))).isEqualTo(Severity.CRITICAL);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", "75"))).isEqualTo(Severity.HIGH);
    }

    @Test
    void fallsBackToHighForMissingOrMeaninglessMeta() {
        assertThat(YaraAnalyzer.severityOf(Map.of())).isEqualTo(Severity.HIGH);
        assertThat(YaraAnalyzer.severityOf(Map.of("severity", "urgent"))).isEqualTo(Severity.HIGH);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", -5L))).isEqualTo(Severity.HIGH);
        assertThat(YaraAnalyzer.severityOf(Map.of("score", "lots"))).isEqualTo(Severity.HIGH);
        assertThat(YaraAnalyzer.severityOf(Map.of("severity", true))).isEqualTo(Severity.HIGH);
    }

    @Test
    void reportsNothingForACleanFile() throws Exception {
        try (YaraRules rules = YaraRules.compile(List.of(path("rules/tag.yar")))) {
            byte[] data = new byte[512];
            assertThat(YaraAnalyzer.of(rules, Duration.ofSeconds(10))
                            .analyze(record("clean.dll", data.length), ByteView.of(data)))
                    .isEmpty();
        }
    }

    @Test
    void holdsEveryFileWhenLibyaraIsMissing() {
        YaraUnavailableException missing = org.junit.jupiter.api.Assertions.assertThrows(
                YaraUnavailableException.class, () -> Libyara.load("libyara-tollgate-absent.so.9"));
        YaraAnalyzer analyzer = YaraAnalyzer.unavailable(missing);

        assertThatThrownBy(() -> analyzer.analyze(record("app.exe", 1), ByteView.of(new byte[1])))
                .isInstanceOf(AnalysisException.class)
                .hasMessageStartingWith("YARA rules not run: ")
                .hasMessageContaining("install libyara9");
    }

    @Test
    void refusesANonPositiveTimeout() throws Exception {
        try (YaraRules rules = YaraRules.compile(List.of(path("rules/tag.yar")))) {
            assertThatThrownBy(() -> YaraAnalyzer.of(rules, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
