package dev.tollgate.yara;

import static dev.tollgate.yara.TestData.path;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the native boundary. Saved inputs in {@code YaraFuzzTestInputs/<method>} run as regression tests in every
 * build; {@code JAZZER_FUZZ=1} fuzzes. A crash inside libyara would kill the JVM, so these also prove that the inputs
 * Tollgate passes (arbitrary file bytes, arbitrary rule text, generated rules) do not crash it.
 */
class YaraFuzzTest {

    private static final YaraRules RULES = compileOnce();

    private static YaraRules compileOnce() {
        try {
            // The rule sets the unit tests use, with the pe, math and hash modules parsing the fuzzed bytes.
            return YaraRules.compile(List.of(path("rules/tag.yar"), path("rules/modules.yar")));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void scanArbitraryBytes(byte[] data) throws YaraScanException {
        for (YaraMatch m : RULES.scan(MemorySegment.ofArray(data), Duration.ofSeconds(10))) {
            for (YaraStringMatch s : m.strings()) {
                if (s.offset() + s.length() > data.length) {
                    throw new IllegalStateException("match beyond the data: " + s + " in " + data.length + " bytes");
                }
            }
            if (m.strings().size() > YaraRules.MAX_MATCHES_PER_RULE) {
                throw new IllegalStateException(
                        "unbounded evidence: " + m.strings().size());
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void compileArbitraryRuleText(FuzzedDataProvider input) {
        String text = input.consumeRemainingAsString().replace('\0', ' ');
        try (YaraRules rules = YaraRules.builder().addSource("fuzz", text).compile()) {
            rules.scan(MemorySegment.ofArray(new byte[64]), Duration.ofSeconds(5));
        } catch (YaraCompileException expected) {
            if (expected.diagnostics().isEmpty() || !expected.getMessage().startsWith("fuzz:")) {
                throw new IllegalStateException("a compile error without a located diagnostic", expected);
            }
        } catch (YaraScanException acceptable) {
            // A rule that compiles may still fail on data (a timeout, too many matches): reported, not a crash. One
            // with a cause is our match callback failing (ScanSession keeps what it threw): a bug, not the rule's.
            if (acceptable.getCause() != null) {
                throw new IllegalStateException("the scan callback failed", acceptable);
            }
        } catch (YaraException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void generatedRulesAlwaysCompile(FuzzedDataProvider input) throws YaraException {
        List<String> indicators = new ArrayList<>();
        int n = input.consumeInt(0, 40);
        for (int i = 0; i < n; i++) {
            indicators.add(input.consumeString(64));
        }
        var options = new IntelRuleGenerator.Options(
                input.consumeBoolean(), true, input.consumeBoolean(), input.consumeBoolean(), input.consumeInt(1, 8));
        var generated = IntelRuleGenerator.generate("intel", indicators, options);
        if (generated.indicators().isEmpty()) {
            return;
        }
        byte[] data = input.consumeRemainingAsBytes();
        try (YaraRules rules =
                YaraRules.builder().addSource("intel", generated.source()).compile()) {
            for (YaraMatch m : rules.scan(MemorySegment.ofArray(data), Duration.ofSeconds(10))) {
                if (generated.indicatorsOf(m).isEmpty()) {
                    throw new IllegalStateException("a generated rule matched no indicator: " + m);
                }
            }
        }
    }
}
