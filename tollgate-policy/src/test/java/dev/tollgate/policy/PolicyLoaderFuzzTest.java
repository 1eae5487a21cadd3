package dev.tollgate.policy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.archive.Limits;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Severity;
import dev.tollgate.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link PolicyLoader#parse} on arbitrary text (a policy a server receives is anyone's text): the only failure
 * is a {@link PolicyException} whose message is built from its parts; a policy that parses decides any list of findings
 * without an exception, with a verdict that follows from the severities it gave. Saved inputs in
 * {@code PolicyLoaderFuzzTestInputs/} (the example policies and broken variants) run as regression tests.
 */
class PolicyLoaderFuzzTest {

    /** Findings of every severity over codes the policies' families and exact codes can meet, on awkward paths. */
    private static final List<Finding> FINDINGS = findings();

    @FuzzTest(maxDuration = "60s")
    void parseAndDecide(byte[] input) {
        String yaml = new String(input, StandardCharsets.UTF_8);
        Policy policy;
        try {
            policy = PolicyLoader.parse(yaml, "upload");
        } catch (PolicyException e) {
            String expected = "upload" + (e.line().isPresent() ? ":" + e.line().getAsInt() : "") + ": "
                    + (e.keyPath().isEmpty() ? "" : e.keyPath() + ": ") + e.problem();
            require(e.getMessage().equals(expected), "message not built from its parts: " + e.getMessage());
            require(e.source().equals("upload"), "source");
            return;
        }
        Policy.Decision decision = policy.decide(FINDINGS);

        require(decision.findings().size() >= FINDINGS.size(), "a finding was lost");
        Verdict strictest = Verdict.ALLOW;
        for (Finding f : decision.findings()) {
            strictest = strictest.max(policy.verdictFor(f.severity()));
        }
        require(decision.verdict() == strictest, "verdict " + decision.verdict() + " but findings say " + strictest);
        require(decision.reasons().isEmpty() == (decision.verdict() == Verdict.ALLOW), "reasons: " + decision);
        for (int i = 1; i < decision.findings().size(); i++) {
            require(
                    Policy.FINDING_ORDER.compare(
                                    decision.findings().get(i - 1),
                                    decision.findings().get(i))
                            <= 0,
                    "findings not in order");
        }
        policy.limits(Limits.defaults());
    }

    private static List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        String[] codes = {"pe.overlay", "archive.bomb", "archive.bomb.ratio", "signature.missing", "intel.match", "a.b"
        };
        String[] paths = {"setup.exe", "app/lib/x.dll", "setup.msi!bin/x.dll", "", "odd\u0000name", "a b/[c]"};
        int i = 0;
        for (String code : codes) {
            for (Severity severity : Severity.values()) {
                out.add(new Finding(code, severity, paths[i++ % paths.length], "fuzz", Map.of()));
            }
        }
        return List.copyOf(out);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }
}
