package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Hashes;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import dev.tollgate.model.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicySignersAndAllowancesTest {

    private static final String VENDOR_THUMB = "ab".repeat(32);
    private static final String PINS = """
            signers:
              - files: "*.dll"
                thumbprints: ["%s"]
                issuers: ["CN=Tollgate Test Code Signing CA, O=Tollgate Test"]
            """.formatted(VENDOR_THUMB.toUpperCase(java.util.Locale.ROOT));

    @Test
    void aLookalikeWithTheVendorsNameFailsThePin() throws Exception {
        Policy policy = PolicyLoader.parse(PINS, "pins.yaml");
        FileRecord lookalike = dll("rel/orbit.dll", signature("cd".repeat(32), "CN=Lookalike Root CA,O=Lookalike"));

        Policy.Decision d = policy.decide(List.of(lookalike), List.of());

        assertThat(d.verdict()).isEqualTo(Verdict.HOLD);
        assertThat(d.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("policy.unexpected-signer");
            assertThat(f.message()).contains("CN=Lookalike Root CA");
        });
    }

    @Test
    void thePinnedThumbprintOrIssuerSatisfiesThePin() throws Exception {
        Policy policy = PolicyLoader.parse(PINS, "pins.yaml");
        FileRecord byThumbprint = dll("rel/a.dll", signature(VENDOR_THUMB, "CN=Somebody"));
        // the issuer pin matches whatever the spacing of the distinguished name
        FileRecord byIssuer =
                dll("rel/b.dll", signature("ef".repeat(32), "CN=Tollgate Test Code Signing CA,O=Tollgate Test"));
        FileRecord notPinned = new FileRecord(
                "rel/readme.txt",
                1,
                hashes(),
                FileType.TEXT,
                1,
                List.of(),
                NetworkIndicators.NONE,
                Optional.empty(),
                List.of(),
                List.of());

        assertThat(policy.decide(List.of(byThumbprint, byIssuer, notPinned), List.of())
                        .findings())
                .isEmpty();
    }

    @Test
    void anIssuerNameCountsOnlyInAChainToATrustAnchor() throws Exception {
        Policy policy = PolicyLoader.parse(PINS, "pins.yaml");
        // Anyone can make a CA named like the vendor's: unchained, the name proves nothing.
        FileRecord lookalike = dll(
                "rel/b.dll",
                signature(
                        "ef".repeat(32),
                        "CN=Tollgate Test Code Signing CA,O=Tollgate Test",
                        SignatureStatus.UNTRUSTED,
                        ""));

        assertThat(policy.decide(List.of(lookalike), List.of()).findings())
                .extracting(Finding::code)
                .containsExactly("policy.unexpected-signer");
    }

    @Test
    void aRootPinNeedsAValidChainToThatRoot() throws Exception {
        String root = "9a".repeat(32);
        Policy policy = PolicyLoader.parse("""
                signers:
                  - files: "*.dll"
                    roots: ["%s"]
                """.formatted(root), "roots.yaml");
        FileRecord chained = dll("rel/a.dll", signature("01".repeat(32), "CN=Any CA", SignatureStatus.VALID, root));
        FileRecord otherRoot =
                dll("rel/b.dll", signature("01".repeat(32), "CN=Any CA", SignatureStatus.VALID, "9b".repeat(32)));
        FileRecord unchained = dll("rel/c.dll", signature("01".repeat(32), "CN=Any CA", SignatureStatus.UNTRUSTED, ""));

        Policy.Decision d = policy.decide(List.of(chained, otherRoot, unchained), List.of());

        assertThat(d.findings()).extracting(Finding::path).containsExactly("rel/b.dll", "rel/c.dll");
        assertThat(d.findings().getFirst().evidence()).containsEntry("expectedRoots", List.of(root));
        assertThat(d.findings().getFirst().evidence().get("actualSigners").toString())
                .contains("root " + "9b".repeat(32));
    }

    @Test
    void anUnsignedOrTamperedFileFailsThePin() throws Exception {
        Policy policy = PolicyLoader.parse(PINS, "pins.yaml");
        FileRecord unsigned = dll("rel/a.dll");
        SignatureInfo broken = new SignatureInfo(
                "authenticode",
                SignatureStatus.DIGEST_MISMATCH,
                "CN=Orbit",
                "CN=Tollgate Test Code Signing CA,O=Tollgate Test",
                "01",
                VENDOR_THUMB,
                "SHA-256",
                Optional.empty(),
                Optional.empty(),
                0,
                List.of(),
                "",
                "");

        assertThat(policy.decide(List.of(unsigned, dll("rel/b.dll", broken)), List.of())
                        .findings())
                .extracting(Finding::code)
                .containsExactly("policy.unexpected-signer", "policy.unexpected-signer");
    }

    @Test
    void anAllowanceLowersItsFindingsToInfoUntilItExpires() throws Exception {
        Policy policy = PolicyLoader.parse("""
                allow:
                  - code: pe.*
                    files: setup.exe
                    reason: the installer stub carries its payload as an overlay
                    expires: 2027-06-30
                """, "allow.yaml");
        Finding overlay = new Finding("pe.overlay", Severity.HIGH, "dl/setup.exe", "overlay", Map.of());
        Finding elsewhere = new Finding("pe.overlay", Severity.HIGH, "dl/other.exe", "overlay", Map.of());

        Policy.Decision before = policy.withClock(on("2027-06-30")).decide(List.of(overlay));
        assertThat(before.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(before.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.evidence()).containsEntry("originalSeverity", "high");
            assertThat(f.message()).contains("allowed until 2027-06-30");
        });
        assertThat(policy.withClock(on("2027-06-30")).decide(List.of(elsewhere)).verdict())
                .isEqualTo(Verdict.HOLD);

        Policy.Decision after = policy.withClock(on("2027-07-01")).decide(List.of(overlay));
        assertThat(after.verdict()).isEqualTo(Verdict.HOLD);
        assertThat(after.findings()).extracting(Finding::code).contains("policy.allowance-expired");
    }

    @Test
    void rejectsMalformedPinsAndAllowancesNamingTheEntry() {
        assertThatThrownBy(() -> PolicyLoader.parse("signers:\n  - files: '*.dll'\n", "p.yaml"))
                .hasMessage("p.yaml:2: signers[0]: a signer pin needs thumbprints, issuers or roots");
        assertThatThrownBy(() -> PolicyLoader.parse("signers:\n  - files: '*.dll'\n    roots: [xyz]\n", "p.yaml"))
                .hasMessageContaining("p.yaml:3: signers[0].roots[0]: 'xyz' is not a SHA-256 thumbprint");
        assertThatThrownBy(() -> PolicyLoader.parse("signers:\n  - files: '*.dll'\n    thumbprints: [abc]\n", "p.yaml"))
                .hasMessageContaining("p.yaml:3: signers[0].thumbprints[0]: 'abc' is not a SHA-256 thumbprint");
        assertThatThrownBy(
                        () -> PolicyLoader.parse("signers:\n  - files: '*.dll'\n    issuers: ['not a dn']\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:3: signers[0].issuers[0]: 'not a dn' is not a distinguished name");
        assertThatThrownBy(() -> PolicyLoader.parse(
                        "allow:\n  - code: pe.overlay\n    files: a.exe\n    reason: r\n    expires: soon\n", "p.yaml"))
                .hasMessage("p.yaml:5: allow[0].expires: 'soon' is not a date (YYYY-MM-DD)");
        assertThatThrownBy(() -> PolicyLoader.parse("allow:\n  - code: pe.overlay\n    files: a.exe\n", "p.yaml"))
                .hasMessage("p.yaml:2: allow[0].expires: expected text, found nothing");
        assertThatThrownBy(() -> PolicyLoader.parse("allow:\n  - code: pe.overlay\n    colour: red\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml:3: allow[0].colour: unknown key 'colour'");
        assertThatThrownBy(() -> PolicyLoader.parse("allow: yes\n", "p.yaml"))
                .hasMessage("p.yaml:1: allow: must be a list of mappings");
    }

    private static Clock on(String date) {
        return Clock.fixed(Instant.parse(date + "T12:00:00Z"), ZoneOffset.UTC);
    }

    private static Hashes hashes() {
        return new Hashes("0".repeat(64), "0".repeat(40), "0".repeat(32));
    }

    private static FileRecord dll(String path, SignatureInfo... signatures) {
        return new FileRecord(
                path,
                100,
                hashes(),
                FileType.PE,
                5,
                List.of(signatures),
                NetworkIndicators.NONE,
                Optional.empty(),
                List.of(),
                List.of());
    }

    private static SignatureInfo signature(String thumbprint, String issuer) {
        return signature(thumbprint, issuer, SignatureStatus.VALID, "");
    }

    private static SignatureInfo signature(String thumbprint, String issuer, SignatureStatus status, String root) {
        return new SignatureInfo(
                "authenticode",
                status,
                "CN=Orbit Telecom Ltd,O=Orbit Telecom Ltd",
                issuer,
                "01",
                thumbprint,
                "SHA-256",
                Optional.empty(),
                Optional.empty(),
                0,
                List.of(),
                "",
                root);
    }
}
