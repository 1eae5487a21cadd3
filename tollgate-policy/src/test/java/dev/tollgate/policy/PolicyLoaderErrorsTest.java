package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every problem in an uploaded policy names the key it is at and that key's line, as fields (a server answers "400,
 * severities.pe.overlay on line 3" from them) and in the message a person reads.
 */
class PolicyLoaderErrorsTest {

    static Stream<Arguments> brokenPolicies() {
        return Stream.of(
                Arguments.of("blok: [critical]\n", "blok", 1),
                Arguments.of("# a comment\nseverities:\n  pe.overlay: severe\n", "severities.pe.overlay", 3),
                Arguments.of("severities:\n  Overlay: high\n", "severities.Overlay", 2),
                Arguments.of("severities: [pe.overlay]\n", "severities", 1),
                Arguments.of("severities:\n  pe.overlay: 3\n", "severities.pe.overlay", 2),
                Arguments.of("block: critical\n", "block", 1),
                Arguments.of("hold:\n  - high\n  - urgent\n", "hold[1]", 3),
                Arguments.of("block: [high]\nhold: [high]\n", "hold", 2),
                Arguments.of("limits:\n  maxDepth: 0\n", "limits.maxDepth", 2),
                Arguments.of("limits:\n  maxDepth: [3]\n", "limits.maxDepth", 2),
                Arguments.of("limits: 12\n", "limits", 1),
                Arguments.of("signers:\n  - files: '*.dll'\n", "signers[0]", 2),
                Arguments.of(
                        "signers:\n  - files: '*.dll'\n    thumbprints:\n      - " + "ab".repeat(32)
                                + "\n      - abc\n",
                        "signers[0].thumbprints[1]",
                        5),
                Arguments.of("signers:\n  - files: '*.dll'\n    roots: [12]\n", "signers[0].roots[0]", 3),
                Arguments.of("signers:\n  - files: ''\n    roots: [" + "ab".repeat(32) + "]\n", "signers[0].files", 2),
                Arguments.of(
                        "signers:\n  - files: 'a[b'\n    roots: [" + "ab".repeat(32) + "]\n", "signers[0].files", 2),
                Arguments.of("signers:\n  - files: a\n    issuers: ['not a dn']\n", "signers[0].issuers[0]", 3),
                Arguments.of("signers:\n  - files: a\n    colour: red\n", "signers[0].colour", 3),
                Arguments.of("signers:\n  - just text\n", "signers[0]", 2),
                Arguments.of(
                        "allow:\n  - code: pe.overlay\n    files: a.exe\n    reason: r\n    expires: soon\n",
                        "allow[0].expires",
                        5),
                // a missing key is reported at the entry that lacks it
                Arguments.of("allow:\n  - code: pe.overlay\n    files: a.exe\n", "allow[0].expires", 2),
                Arguments.of(
                        "allow:\n  - code: Overlay\n    files: a.exe\n    reason: r\n    expires: 2027-01-01\n",
                        "allow[0].code",
                        2),
                Arguments.of(
                        "allow:\n  - code: pe.overlay\n    files: a.exe\n    reason: ' '\n    expires: 2027-01-01\n",
                        "allow[0]",
                        2),
                Arguments.of("allow: yes\n", "allow", 1),
                // syntax errors: where Jackson says, the key the parser was in and the line
                Arguments.of("hold: [high]\nhold: [low]\n", "hold", 2),
                Arguments.of("severities:\n  pe.overlay: high\n  pe.overlay: low\n", "severities.pe.overlay", 3));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("brokenPolicies")
    void namesTheKeyPathAndItsLine(String yaml, String keyPath, int line) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse(yaml, "p.yaml"));

        assertThat(e).as("no exception for %s", yaml).isNotNull();
        assertThat(e.keyPath()).as(e.getMessage()).isEqualTo(keyPath);
        assertThat(e.line()).as(e.getMessage()).isEqualTo(OptionalInt.of(line));
        assertThat(e.source()).isEqualTo("p.yaml");
        assertThat(e.getMessage()).isEqualTo("p.yaml:" + line + ": " + keyPath + ": " + e.problem());
    }

    @Test
    void namesTheLineJacksonGivesForASyntaxError() {
        PolicyException e = catchThrowableOfType(
                PolicyException.class, () -> PolicyLoader.parse("severities:\n  pe.overlay: high\n\t- x\n", "p.yaml"));

        assertThat(e.line()).isPresent();
        assertThat(e.getMessage())
                .startsWith("p.yaml:" + e.line().getAsInt() + ": ")
                .contains("not valid YAML");
    }

    @Test
    void aNonMappingDocumentIsAProblemOfTheWholeFile() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse("- critical\n", "up"));

        assertThat(e.keyPath()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("up:1: " + e.problem());
    }

    @Test
    void refusesTextOverTheSizeLimitBeforeParsingIt() {
        String huge = "# " + "x".repeat(PolicyLoader.MAX_POLICY_BYTES) + "\n";

        assertThatThrownBy(() -> PolicyLoader.parse(huge, "up"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("up: policy is longer than 1048576 characters");
    }
}
