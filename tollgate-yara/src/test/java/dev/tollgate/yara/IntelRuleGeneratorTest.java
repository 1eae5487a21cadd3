package dev.tollgate.yara;

import static dev.tollgate.yara.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntelRuleGeneratorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static List<String> hits(IntelRuleGenerator.Generated g, byte[] data) throws Exception {
        try (YaraRules rules =
                YaraRules.builder().addSource(g.namespace(), g.source()).compile()) {
            List<String> found = new ArrayList<>();
            for (YaraMatch m : rules.scan(bytes(data), TIMEOUT)) {
                found.addAll(g.indicatorsOf(m));
            }
            return found;
        }
    }

    @Test
    void findsDomainsAsAsciiAndAsWideStrings() throws Exception {
        var g = IntelRuleGenerator.generate(
                "intel", List.of("msstorageazure.com", "akamaicontainer.com"), IntelRuleGenerator.DEFAULT_OPTIONS);
        byte[] ascii = "GET https://MSStorageAzure.com/x".getBytes(StandardCharsets.US_ASCII);
        byte[] wide = "host=akamaicontainer.com;".getBytes(StandardCharsets.UTF_16LE);

        assertThat(hits(g, ascii)).containsExactly("msstorageazure.com");
        assertThat(hits(g, wide)).containsExactly("akamaicontainer.com");
        assertThat(hits(g, "nothing here".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void fullwordMatchesSubdomainsButNotLongerWords() throws Exception {
        var g = IntelRuleGenerator.generate("intel", List.of("example.com"), IntelRuleGenerator.DEFAULT_OPTIONS);

        assertThat(hits(g, "cdn.example.com/".getBytes(StandardCharsets.US_ASCII)))
                .containsExactly("example.com");
        assertThat(hits(g, "notexample.com".getBytes(StandardCharsets.US_ASCII)))
                .isEmpty();
    }

    @Test
    void escapesQuotesBackslashesAndNonAsciiSoNothingIsInjected() throws Exception {
        String hostile = "a\" condition: true } rule x { condition: true \\ \u00e9\n";
        var g = IntelRuleGenerator.generate(
                "intel", List.of(hostile), new IntelRuleGenerator.Options(true, false, false, false, 10));

        assertThat(g.source())
                .contains("$i0 = \"a\\x22 condition: true } rule x { condition: true \\x5c \\xc3\\xa9\\x0a\"");
        assertThat(hits(g, ("xx" + hostile).getBytes(StandardCharsets.UTF_8))).containsExactly(hostile);
        assertThat(hits(g, "rule x".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void chunksStringsIntoRulesOfAtMostTheGivenSize() throws Exception {
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ips.add("10.0.0." + i);
        }
        var g = IntelRuleGenerator.generate("intel", ips, new IntelRuleGenerator.Options(true, false, false, true, 10));

        assertThat(g.source())
                .contains("rule intel_0", "rule intel_1", "rule intel_2")
                .doesNotContain("rule intel_3");
        assertThat(hits(g, " 10.0.0.24 and 10.0.0.3 ".getBytes(StandardCharsets.US_ASCII)))
                .containsExactlyInAnyOrder("10.0.0.24", "10.0.0.3");
    }

    @Test
    void skipsEmptyAndOverlongIndicatorsAndDropsDuplicates() {
        String tooLong = "a".repeat(IntelRuleGenerator.MAX_INDICATOR_BYTES + 1);
        var g = IntelRuleGenerator.generate(
                "intel", List.of("", "x.com", "x.com", tooLong), IntelRuleGenerator.DEFAULT_OPTIONS);

        assertThat(g.indicators()).containsExactly("x.com");
        assertThat(g.skipped()).containsExactly("", tooLong);
    }

    @Test
    void producesNoRulesForNoIndicators() {
        assertThat(IntelRuleGenerator.generate("intel", List.of(), IntelRuleGenerator.DEFAULT_OPTIONS)
                        .source())
                .isEmpty();
    }

    @Test
    void mapsOnlyItsOwnStringIdentifiersBack() {
        var g = IntelRuleGenerator.generate("intel", List.of("a.example"), IntelRuleGenerator.DEFAULT_OPTIONS);

        assertThat(g.indicatorOf("$i0")).contains("a.example");
        assertThat(g.indicatorOf("$i1")).isEmpty();
        assertThat(g.indicatorOf("$tag")).isEmpty();
        assertThat(g.indicatorsOf(new YaraMatch(
                        "intel_0",
                        "other",
                        List.of(),
                        java.util.Map.of(),
                        List.of(new YaraStringMatch("$i0", 0, 1)),
                        false)))
                .isEmpty();
    }

    @Test
    void refusesOptionsThatMatchNothing() {
        assertThatThrownBy(() -> new IntelRuleGenerator.Options(false, false, true, true, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IntelRuleGenerator.Options(true, false, true, true, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
