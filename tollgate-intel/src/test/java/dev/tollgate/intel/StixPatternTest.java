package dev.tollgate.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.intel.StixPattern.Comparison;
import org.junit.jupiter.api.Test;

class StixPatternTest {

    private static final String SHA = "7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896";

    private static StixPattern.Evaluation eval(String pattern) {
        return StixPattern.evaluate(pattern, FeedLimits.DEFAULT);
    }

    @Test
    void readsEachSupportedObjectPath() {
        assertThat(eval("[file:hashes.'SHA-256' = '" + SHA + "']").comparisons())
                .containsExactly(new Comparison(IndicatorType.SHA256, SHA));
        assertThat(eval("[file:hashes.SHA256 = 'x']").comparisons())
                .extracting(Comparison::type)
                .containsExactly(IndicatorType.SHA256);
        assertThat(eval("[file:hashes.'SHA-1' = 'x']").comparisons())
                .extracting(Comparison::type)
                .containsExactly(IndicatorType.SHA1);
        assertThat(eval("[file:hashes.MD5 = 'x']").comparisons())
                .extracting(Comparison::type)
                .containsExactly(IndicatorType.MD5);
        assertThat(eval("[ipv6-addr:value = '2001:db8::/32']").comparisons())
                .extracting(Comparison::type)
                .containsExactly(IndicatorType.IP);
        assertThat(eval("[x509-certificate:hashes.'SHA-256' = 'x']").comparisons())
                .extracting(Comparison::type)
                .containsExactly(IndicatorType.CERT_SHA256);
    }

    @Test
    void orInsideAndBetweenObservationsGivesAlternatives() {
        StixPattern.Evaluation evaluation = eval(
                "([domain-name:value = 'a.example' OR url:value = 'http://b.example/'] OR [ipv4-addr:value = '192.0.2.1'])");

        assertThat(evaluation.comparisons())
                .containsExactly(
                        new Comparison(IndicatorType.DOMAIN, "a.example"),
                        new Comparison(IndicatorType.URL, "http://b.example/"),
                        new Comparison(IndicatorType.IP, "192.0.2.1"));
        assertThat(evaluation.skipped()).isEmpty();
    }

    @Test
    void andBindsTighterThanOr() {
        StixPattern.Evaluation evaluation = eval(
                "[domain-name:value = 'a.example' OR domain-name:value = 'b.example' AND ipv4-addr:value = '192.0.2.1']");

        assertThat(evaluation.comparisons()).containsExactly(new Comparison(IndicatorType.DOMAIN, "a.example"));
        assertThat(evaluation.skipped()).containsExactly("AND across different objects (cannot be decided per file)");
    }

    @Test
    void anAndOnOneFileIsLoadedAsItsStrongestHash() {
        StixPattern.Evaluation evaluation =
                eval("[file:hashes.MD5 = 'm' AND file:hashes.'SHA-256' = 's' AND file:size = 12]");

        assertThat(evaluation.comparisons()).containsExactly(new Comparison(IndicatorType.SHA256, "s"));
    }

    @Test
    void skipsWhatCannotBeDecidedPerFileWithAReason() {
        assertThat(eval("[domain-name:value LIKE '%.example']").skipped()).containsExactly("operator LIKE");
        assertThat(eval("[domain-name:value != 'a.example']").skipped()).containsExactly("negated comparison");
        assertThat(eval("[domain-name:value NOT = 'a.example']").skipped()).containsExactly("negated comparison");
        assertThat(eval("[process:name = 'x.exe']").skipped()).containsExactly("object path 'process:name'");
        assertThat(eval("[domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']")
                        .skipped())
                .containsExactly("FOLLOWEDBY (a sequence of observations over time)");
        assertThat(eval("[domain-name:value = 'a.example'] AND [domain-name:value = 'b.example']")
                        .skipped())
                .containsExactly("AND of observations (needs several observations at once)");
        assertThat(eval("[domain-name:value = 'a.example'] WITHIN 300 SECONDS").skipped())
                .containsExactly("qualifier WITHIN");
        assertThat(eval("[domain-name:value = 'a.example'] START t'2023-01-01T00:00:00Z' STOP t'2024-01-01T00:00:00Z'")
                        .skipped())
                .containsExactly("qualifier START/STOP");
        assertThat(eval("[EXISTS file:hashes.MD5]").skipped()).containsExactly("EXISTS");
        assertThat(eval("[domain-name:value = 'a.example'] AND [x:y = 1]").comparisons())
                .isEmpty();
    }

    @Test
    void partlyEvaluablePatternsLoadWhatTheyCanAndSayWhatTheySkipped() {
        StixPattern.Evaluation evaluation = eval("[domain-name:value = 'a.example'] OR [url:value MATCHES '^http']");

        assertThat(evaluation.comparisons()).containsExactly(new Comparison(IndicatorType.DOMAIN, "a.example"));
        assertThat(evaluation.skipped()).containsExactly("operator MATCHES");
    }

    @Test
    void unescapesQuotesAndBackslashes() {
        assertThat(eval("[url:value = 'http://x.example/it\\'s\\\\here']").comparisons())
                .containsExactly(new Comparison(IndicatorType.URL, "http://x.example/it's\\here"));
    }

    @Test
    void syntaxErrorsNameTheOffset() {
        assertThatThrownBy(() -> eval("[domain-name:value = 'a.example'"))
                .hasMessageStartingWith("pattern offset 32: expected ']' closing the observation expression");
        assertThatThrownBy(() -> eval("[domain-name:value = 'a.example"))
                .hasMessageStartingWith("pattern offset 21: unterminated string");
        assertThatThrownBy(() -> eval("domain-name:value = 'a'"))
                .hasMessageStartingWith("pattern offset 0: expected '[' or '('");
        assertThatThrownBy(() -> eval("[domain-name:value ~ 'a']")).hasMessageContaining("unexpected character '~'");
        assertThatThrownBy(() -> eval("[a:b = 'x'] ]")).hasMessageContaining("unexpected ']'");
        assertThatThrownBy(() -> eval("[a:b = 'x\\n']")).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> eval("")).hasMessageStartingWith("pattern offset 0:");
    }

    @Test
    void refusesDeepNestingAndExplodingExpansions() {
        String deep = "(".repeat(40) + "[a:b = 'x']" + ")".repeat(40);
        assertThatThrownBy(() -> eval(deep)).hasMessageContaining("nests deeper than 32");

        StringBuilder product = new StringBuilder("[");
        for (int i = 0; i < 13; i++) {
            product.append(i == 0 ? "" : " AND ").append("(file:hashes.MD5 = 'a' OR file:hashes.MD5 = 'b')");
        }
        assertThatThrownBy(() -> eval(product.append("]").toString()))
                .hasMessageContaining("alternatives, over the limit");

        assertThatThrownBy(() -> StixPattern.evaluate("[a:b = '" + "x".repeat(70_000) + "']", FeedLimits.DEFAULT))
                .hasMessageContaining("over the limit of 65536");
    }
}
