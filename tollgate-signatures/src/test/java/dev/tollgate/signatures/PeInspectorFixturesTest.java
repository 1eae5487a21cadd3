package dev.tollgate.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.ByteView;
import dev.tollgate.model.Finding;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PeInspector} on the real fixtures of {@code fixtures/} (mingw DLLs signed with osslsigncode by the test PKI,
 * tampered copies, Debian's Microsoft-signed shim); their provenance is in {@code fixtures/README.md}.
 */
class PeInspectorFixturesTest {

    private static final Path FIXTURES = Path.of("..", "fixtures");
    private static final Path PE = FIXTURES.resolve("pe");
    /** A fixed "now" inside the test leaf's validity (2019 to 2040), after the expired leaf's (2020). */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    private static PeInspector inspector() {
        try {
            return new PeInspector(TrustAnchors.of(TrustAnchors.readPem(FIXTURES.resolve("pki/root.pem"))), CLOCK);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final PeInspector INSPECTOR = inspector();

    private static PeInspection inspect(Path file) throws IOException {
        return INSPECTOR.inspect(file.getFileName().toString(), ByteView.of(Files.readAllBytes(file)));
    }

    private static Set<String> codes(PeInspection inspection) {
        return inspection.findings().stream().map(Finding::code).collect(Collectors.toSet());
    }

    private static Finding finding(PeInspection inspection, String code) {
        return inspection.findings().stream()
                .filter(f -> f.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " in " + inspection.findings()));
    }

    static Stream<Arguments> documentedResults() {
        return Stream.of(
                Arguments.of("orbit.dll", Set.of("signature.missing"), List.of()),
                Arguments.of("orbit.exe", Set.of("signature.missing"), List.of()),
                Arguments.of("orbit32.dll", Set.of("signature.missing"), List.of()),
                Arguments.of("orbit-signed.dll", Set.of(), List.of(SignatureStatus.VALID)),
                // 22 KB of COFF symbols after the last section, as the file header describes: not an overlay.
                Arguments.of("orbit-unstripped.dll", Set.of("signature.missing"), List.of()),
                Arguments.of("orbit-unstripped-signed.dll", Set.of(), List.of(SignatureStatus.VALID)),
                Arguments.of("orbit32-signed.dll", Set.of(), List.of(SignatureStatus.VALID)),
                Arguments.of("orbit-signed-sha1.dll", Set.of("signature.weak-digest"), List.of(SignatureStatus.VALID)),
                Arguments.of("orbit-signed-sha384.dll", Set.of(), List.of(SignatureStatus.VALID)),
                Arguments.of("orbit-signed-sha512.dll", Set.of(), List.of(SignatureStatus.VALID)),
                Arguments.of("orbit-signed.exe", Set.of(), List.of(SignatureStatus.VALID)),
                Arguments.of("orbit-dual-signed.dll", Set.of(), List.of(SignatureStatus.VALID, SignatureStatus.VALID)),
                Arguments.of("orbit-padding7.dll", Set.of(), List.of(SignatureStatus.VALID)),
                Arguments.of("orbit-timestamped.dll", Set.of(), List.of(SignatureStatus.VALID)),
                Arguments.of("orbit-expired-timestamped.dll", Set.of(), List.of(SignatureStatus.VALID)),
                Arguments.of("orbit-lookalike.dll", Set.of("signature.untrusted"), List.of(SignatureStatus.UNTRUSTED)),
                Arguments.of("orbit-noeku.dll", Set.of("signature.untrusted"), List.of(SignatureStatus.UNTRUSTED)),
                Arguments.of("orbit-expired.dll", Set.of("signature.untrusted"), List.of(SignatureStatus.UNTRUSTED)),
                Arguments.of(
                        "orbit-signed-patched.dll",
                        Set.of("signature.digest-mismatch"),
                        List.of(SignatureStatus.DIGEST_MISMATCH)),
                Arguments.of("orbit-sigflip.dll", Set.of("signature.appended-data"), List.of(SignatureStatus.VALID)),
                Arguments.of(
                        "orbit-sigflip-after-padding.dll",
                        Set.of("signature.appended-data"),
                        List.of(SignatureStatus.VALID)),
                Arguments.of(
                        "orbit-signed-overlay.dll",
                        Set.of("signature.digest-mismatch", "pe.overlay"),
                        List.of(SignatureStatus.DIGEST_MISMATCH)),
                Arguments.of("orbit-overlay.dll", Set.of("signature.missing", "pe.overlay"), List.of()),
                Arguments.of(
                        "orbit-extra-cert.dll", Set.of("signature.extra-certificate"), List.of(SignatureStatus.VALID)),
                Arguments.of(
                        "orbit-table-trailing-data.dll",
                        Set.of("signature.appended-data", "pe.malformed"),
                        List.of(SignatureStatus.VALID)),
                // Windows and osslsigncode reject a table that runs past the end of the file: never valid.
                Arguments.of(
                        "orbit-cert-past-eof.dll",
                        Set.of("signature.malformed", "pe.malformed"),
                        List.of(SignatureStatus.MALFORMED)),
                Arguments.of(
                        "orbit-truncated-cert.dll",
                        Set.of("signature.malformed", "signature.appended-data", "pe.malformed"),
                        List.of()),
                Arguments.of("orbit-truncated-half.dll", Set.of("signature.missing", "pe.malformed"), List.of()),
                Arguments.of(
                        "orbit-unauth-blob.dll",
                        Set.of("signature.unexpected-attribute"),
                        List.of(SignatureStatus.VALID)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedResults")
    void givesTheDocumentedFindingsAndStatuses(String file, Set<String> codes, List<SignatureStatus> statuses)
            throws IOException {
        PeInspection inspection = inspect(PE.resolve(file));

        assertThat(codes(inspection)).as("%s", inspection.findings()).isEqualTo(codes);
        assertThat(inspection.signatures())
                .as("%s", inspection.signatures())
                .extracting(SignatureInfo::status)
                .isEqualTo(statuses);
        assertThat(inspection.summary()).isPresent();
    }

    @Test
    void namesSignerOfValidSignature() throws IOException {
        SignatureInfo signature =
                inspect(PE.resolve("orbit-signed.dll")).signatures().getFirst();

        assertThat(signature.signer()).isEqualTo("CN=Orbit Telecom Ltd,O=Orbit Telecom Ltd");
        assertThat(signature.issuer()).isEqualTo("CN=Tollgate Test Code Signing CA,O=Tollgate Test");
        assertThat(signature.serial()).isEqualTo("4fa1a13ac468ac49");
        assertThat(signature.digestAlgorithm()).isEqualTo("SHA-256");
    }

    @Test
    void flagsSigFlipPayloadHiddenInCertificateTable() throws IOException {
        Finding finding = finding(inspect(PE.resolve("orbit-sigflip.dll")), "signature.appended-data");

        assertThat(finding.severity()).isEqualTo(dev.tollgate.model.Severity.CRITICAL);
        assertThat(finding.evidence()).containsEntry("sigflipTag", true).containsEntry("bytes", 8L + 16384 + 6);
        assertThat((Double) finding.evidence().get("entropy")).isGreaterThan(7.9);
        assertThat(finding.message()).contains("SigFlip");
    }

    @Test
    void findsSigFlipTagAfterAlignmentPadding() throws IOException {
        Finding finding = finding(inspect(PE.resolve("orbit-sigflip-after-padding.dll")), "signature.appended-data");

        // The tag follows the entry's 6 zero bytes of alignment padding, which count as part of the appended data.
        assertThat(finding.evidence()).containsEntry("bytes", 6L + 8 + 16384);
        assertThat(finding.evidence()).containsEntry("sigflipTag", true);
    }

    @Test
    void reportsTheDigestOsslsigncodeCalculatesForPatchedFile() throws IOException {
        SignatureInfo signature =
                inspect(PE.resolve("orbit-signed-patched.dll")).signatures().getFirst();

        // fixtures/osslsigncode-verify.txt: "Calculated message digest : 3CD291BB...EB70 MISMATCH!!!"
        assertThat(signature.problems())
                .singleElement()
                .asString()
                .contains("the file hashes to 3cd291bb8efa236a82bdbb5e671b298c9eab3167516560e8b6b9f9f3b40eeb70");
    }

    @Test
    void reportsTimestampAuthorityAndTime() throws IOException {
        SignatureInfo signature = inspect(PE.resolve("orbit-expired-timestamped.dll"))
                .signatures()
                .getFirst();

        assertThat(signature.timestampAuthority()).contains("CN=Tollgate Test Timestamping Authority,O=Tollgate Test");
        assertThat(signature.signingTime()).contains(Instant.parse("2020-06-01T00:00:00Z"));
    }

    @Test
    void acceptsShimWithTwoMicrosoftSignaturesAndZeroPadding() throws IOException {
        PeInspection inspection = inspect(FIXTURES.resolve("efi/shimx64.efi.signed"));

        assertThat(codes(inspection)).doesNotContain("signature.appended-data", "signature.digest-mismatch");
        assertThat(inspection.signatures()).hasSize(2);
        assertThat(inspection.signatures()).extracting(SignatureInfo::status).containsOnly(SignatureStatus.UNTRUSTED);
        assertThat(inspection.signatures().get(0).signer()).contains("Microsoft Windows UEFI Driver Publisher");
        assertThat(inspection.signatures().get(1).signer()).contains("Microsoft UEFI CA 2023");
    }

    @Test
    void namesTheDamageInTruncatedAndGarbageFilesAndNeverPassesThemAsSigned() throws IOException {
        for (String file : List.of(
                "empty.dll",
                "garbage.dll",
                "orbit-truncated-headers.dll",
                "orbit-truncated-half.dll",
                "orbit-truncated-cert.dll",
                "orbit-cert-past-eof.dll",
                "orbit-table-trailing-data.dll")) {
            PeInspection inspection = inspect(PE.resolve(file));

            // The damage itself is named, whatever else is found.
            assertThat(codes(inspection)).as(file).contains("pe.malformed");
            // A signature may still verify over a damaged file (trailing bytes in its table), but never stands
            // alone: a critical finding that blocks the file comes with it.
            if (inspection.signatures().stream().anyMatch(s -> s.status() == SignatureStatus.VALID)) {
                assertThat(inspection.findings())
                        .as(file)
                        .anyMatch(f -> f.severity() == dev.tollgate.model.Severity.CRITICAL);
            }
        }
    }
}
