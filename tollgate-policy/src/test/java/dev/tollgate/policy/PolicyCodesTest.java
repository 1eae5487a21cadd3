package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.model.Severity;
import org.junit.jupiter.api.Test;

/** A policy that names a finding code that does not exist is a usage error; families of real codes still work. */
class PolicyCodesTest {

    @Test
    void aMisspelledCodeIsAnErrorSuggestingTheRealOne() {
        assertThatThrownBy(() -> PolicyLoader.parse("severities:\n  signature.mising: high\n", "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(
                        "p.yaml:2: severities.signature.mising: 'signature.mising' is not a finding code")
                .hasMessageContaining("did you mean signature.missing?");
    }

    @Test
    void anAllowanceForAnUnknownCodeIsAnError() {
        assertThatThrownBy(() -> PolicyLoader.parse(
                        "allow:\n  - code: pe.overlays\n    files: a.exe\n    reason: r\n    expires: 2030-01-01\n",
                        "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("p.yaml:2: allow[0].code: 'pe.overlays' is not a finding code")
                .hasMessageContaining("did you mean pe.overlay?");
    }

    @Test
    void aFamilyOfNoCodeIsAnError() {
        assertThatThrownBy(() -> PolicyLoader.parse("severities:\n  archives.*: high\n", "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("'archives.*' is no family of finding codes");
    }

    @Test
    void realCodesAndFamiliesStillWork() throws PolicyException {
        Policy p = PolicyLoader.parse(
                "severities:\n  archive.*: low\n  archive.limit: medium\n  release.empty: info\n", "p");

        assertThat(p.severityOf("archive.truncated", Severity.HIGH)).isEqualTo(Severity.LOW);
        assertThat(p.severityOf("archive.limit", Severity.HIGH)).isEqualTo(Severity.MEDIUM);
        assertThat(p.severityOf("release.empty", Severity.HIGH)).isEqualTo(Severity.INFO);
    }
}
