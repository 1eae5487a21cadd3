package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.model.Finding;
import dev.tollgate.model.Severity;
import dev.tollgate.model.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTest {

    private static Finding finding(String code, Severity severity, String path) {
        return new Finding(code, severity, path, code + " in " + path, Map.of());
    }

    @Test
    void defaultPolicyBlocksOnCriticalAndHoldsOnHigh() {
        Policy p = Policy.defaults();

        assertThat(p.decide(List.of(finding("pe.overlay", Severity.MEDIUM, "a.dll")))
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(p.decide(List.of(finding("signature.untrusted", Severity.HIGH, "a.dll")))
                        .verdict())
                .isEqualTo(Verdict.HOLD);
        Policy.Decision block = p.decide(List.of(
                finding("signature.untrusted", Severity.HIGH, "a.dll"),
                finding("signature.appended-data", Severity.CRITICAL, "d3dcompiler_47.dll")));
        assertThat(block.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(block.reasons())
                .containsExactly(
                        "block: signature.appended-data (critical) in d3dcompiler_47.dll",
                        "hold: signature.untrusted (high) in a.dll");
        assertThat(block.findings()).extracting(Finding::severity).containsExactly(Severity.CRITICAL, Severity.HIGH);
    }

    @Test
    void reasonsNameAFewFilesAndCountTheRest() {
        Policy.Decision d = Policy.defaults()
                .decide(List.of(
                        finding("signature.untrusted", Severity.HIGH, "a.dll"),
                        finding("signature.untrusted", Severity.HIGH, "b.dll"),
                        finding("signature.untrusted", Severity.HIGH, "c.dll"),
                        finding("signature.untrusted", Severity.HIGH, "d.dll"),
                        finding("signature.untrusted", Severity.HIGH, "e.dll")));
        assertThat(d.reasons())
                .containsExactly("hold: signature.untrusted (high) in 5 files: a.dll, b.dll, c.dll and 2 more");
    }

    @Test
    void overridesSeverityPerCodeAndPerFamily() throws PolicyException {
        Policy p = PolicyLoader.parse("""
                severities:
                  pe.overlay: critical
                  archive.*: low
                  archive.bomb: high
                block: [critical]
                hold: [high, medium]
                """, "policy.yaml");

        assertThat(p.severityOf("pe.overlay", Severity.MEDIUM)).isEqualTo(Severity.CRITICAL);
        assertThat(p.severityOf("archive.encrypted", Severity.MEDIUM)).isEqualTo(Severity.LOW);
        assertThat(p.severityOf("archive.bomb", Severity.MEDIUM)).isEqualTo(Severity.HIGH);
        assertThat(p.severityOf("signature.missing", Severity.MEDIUM)).isEqualTo(Severity.MEDIUM);
        assertThat(p.decide(List.of(finding("signature.missing", Severity.MEDIUM, "x.exe")))
                        .verdict())
                .isEqualTo(Verdict.HOLD);
        Policy.Decision d = p.decide(List.of(finding("pe.overlay", Severity.MEDIUM, "x.exe")));
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.findings().getFirst().severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void emptyListsMeanNothingHoldsOrBlocks() throws PolicyException {
        Policy p = PolicyLoader.parse("block: []\nhold: []\n", "p.yaml");
        assertThat(p.decide(List.of(finding("signature.appended-data", Severity.CRITICAL, "a")))
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void emptyFileIsTheDefaultPolicy() throws PolicyException {
        Policy p = PolicyLoader.parse("# nothing\n", "p.yaml");
        assertThat(p.verdictFor(Severity.CRITICAL)).isEqualTo(Verdict.BLOCK);
        assertThat(p.verdictFor(Severity.HIGH)).isEqualTo(Verdict.HOLD);
    }

    @Test
    void rejectsUnknownTopLevelKey() {
        assertThatThrownBy(() -> PolicyLoader.parse("blocks: [critical]\n", "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessage(
                        "p.yaml:1: blocks: unknown key 'blocks' (expected severities, block, hold, signers, allow or limits)");
    }

    @Test
    void rejectsUnknownSeverity() {
        assertThatThrownBy(() -> PolicyLoader.parse("severities:\n  pe.overlay: severe\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:2: severities.pe.overlay: unknown severity 'severe'");
        assertThatThrownBy(() -> PolicyLoader.parse("hold: [high, urgent]\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:1: hold[1]: unknown severity 'urgent'");
    }

    @Test
    void rejectsWrongTypes() {
        assertThatThrownBy(() -> PolicyLoader.parse("block: critical\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:1: block: must be a list of severities, e.g. block: [critical]");
        assertThatThrownBy(() -> PolicyLoader.parse("severities: [pe.overlay]\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:1: severities: must be a mapping");
        assertThatThrownBy(() -> PolicyLoader.parse("severities:\n  pe.overlay: 3\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:2: severities.pe.overlay: expected a severity");
        assertThatThrownBy(() -> PolicyLoader.parse("- critical\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:1: a policy is a mapping");
    }

    @Test
    void rejectsMalformedCodes() {
        assertThatThrownBy(() -> PolicyLoader.parse("severities:\n  Overlay: high\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:2: severities.Overlay: 'Overlay' is not a finding code");
    }

    @Test
    void rejectsASeverityThatBothBlocksAndHolds() {
        assertThatThrownBy(() -> PolicyLoader.parse("block: [critical, high]\nhold: [high]\n", "p.yaml"))
                .hasMessage("p.yaml:2: hold: severity 'high' is in both block and hold; keep it in one");
    }

    @Test
    void rejectsDuplicateKeysAndBrokenYaml() {
        assertThatThrownBy(() -> PolicyLoader.parse("hold: [high]\nhold: [low]\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:2: hold: not valid YAML: Duplicate field 'hold'");
        assertThatThrownBy(() -> PolicyLoader.parse("hold: [high\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:1: hold[0]: not valid YAML:")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void loadNamesAMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> PolicyLoader.load(missing)).hasMessage(missing + ": no such policy file");
    }

    @Test
    void loadReadsTheExamplePolicy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "severities:\n  signature.missing: high\n");
        assertThat(PolicyLoader.load(file).severityOf("signature.missing", Severity.MEDIUM))
                .isEqualTo(Severity.HIGH);
    }

    @Test
    void loadRejectsBinaryFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> PolicyLoader.load(file)).hasMessage(file + ": policy file is not UTF-8 text");
    }

    @Test
    void readsUnpackingLimitsAndAppliesThemOverTheDefaults() throws PolicyException {
        Policy p = PolicyLoader.parse("""
                limits:
                  maxTotalBytes: 20GiB
                  maxDepth: 12
                  maxEntries: "250000"
                """, "p.yaml");

        dev.tollgate.formats.archive.Limits limits = p.limits(dev.tollgate.formats.archive.Limits.defaults());
        assertThat(limits.maxTotalBytes()).isEqualTo(20L << 30);
        assertThat(limits.maxDepth()).isEqualTo(12);
        assertThat(limits.maxEntries()).isEqualTo(250_000);
        assertThat(limits.maxRatio())
                .isEqualTo(dev.tollgate.formats.archive.Limits.defaults().maxRatio());
        assertThat(Policy.defaults().limits(dev.tollgate.formats.archive.Limits.defaults()))
                .isEqualTo(dev.tollgate.formats.archive.Limits.defaults());
    }

    @Test
    void rejectsAnUnknownLimitNamingTheFile() {
        assertThatThrownBy(() -> PolicyLoader.parse("limits:\n  maxDepht: 3\n", "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(
                        "p.yaml:2: limits.maxDepht: unknown limit 'maxDepht' (expected one of maxTotalBytes,");
    }

    @Test
    void rejectsABadLimitValueNamingTheFileTheLimitAndTheValue() {
        assertThatThrownBy(() -> PolicyLoader.parse("limits:\n  maxDepth: 0\n", "p.yaml"))
                .hasMessage("p.yaml:2: limits.maxDepth: maxDepth=0: must be between 1 and 64");
        assertThatThrownBy(() -> PolicyLoader.parse("limits:\n  maxTotalBytes: lots\n", "p.yaml"))
                .hasMessageContaining(
                        "p.yaml:2: limits.maxTotalBytes: maxTotalBytes=lots: not a whole number of bytes");
        assertThatThrownBy(() -> PolicyLoader.parse("limits:\n  maxDepth: [3]\n", "p.yaml"))
                .hasMessage("p.yaml:2: limits.maxDepth: must be a whole number or a size such as 8GiB");
        assertThatThrownBy(() -> PolicyLoader.parse("limits:\n  maxDepth: 2.5\n", "p.yaml"))
                .hasMessage("p.yaml:2: limits.maxDepth: must be a whole number or a size such as 8GiB");
        assertThatThrownBy(() -> PolicyLoader.parse("limits: [maxDepth]\n", "p.yaml"))
                .hasMessage("p.yaml:1: limits: must be a mapping of limit name to value, e.g. maxDepth: 12");
    }
}
