package dev.tollgate.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;
import dev.tollgate.model.SignatureInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Fuzz targets for the Authenticode verifier and the PE inspection around it. Without {@code JAZZER_FUZZ=1} each runs
 * once per kept input in {@code AuthenticodeFuzzTestInputs/<method>/} (real signature blobs and signed PEs from
 * {@code fixtures/}, and any crash reproducer), as regression tests. Any exception, a result without a signature or a
 * finding, or an exception other than the typed ones (an internal error) is a bug: malformed input must become
 * data, and a bug in our code must not hide as malformed input.
 */
class AuthenticodeFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
    private static final AuthenticodeVerifier VERIFIER = new AuthenticodeVerifier(TrustAnchors.of(List.of()), CLOCK);
    private static final PeInspector INSPECTOR = new PeInspector(TrustAnchors.of(List.of()), CLOCK);

    @FuzzTest(maxDuration = "60s")
    void verifySignatureBlob(byte[] blob) {
        AuthenticodeVerification verification = VERIFIER.verify(blob, md -> md.digest(blob));

        assertThat(verification.signatures()).isNotEmpty();
        for (SignatureInfo signature : verification.signatures()) {
            assertThat(signature.nested()).isBetween(0, AuthenticodeVerifier.MAX_NESTED_DEPTH + 1);
        }
        assertThat(verification.signatures()).hasSizeLessThanOrEqualTo(AuthenticodeVerifier.MAX_SIGNATURES + 1);
        noInternalError(verification.signatures());
    }

    @FuzzTest(maxDuration = "60s")
    void inspectPe(byte[] file) {
        PeInspection inspection = INSPECTOR.inspect("fuzz.dll", ByteView.of(file));

        assertThat(inspection.findings().isEmpty() && inspection.signatures().isEmpty())
                .as("an inspection always says something: a signature or a finding")
                .isFalse();
        // Hostile input fails as PeFormatException, which the inspector turns into pe.malformed; any other exception
        // leaves inspect() (the engine catches it once, as analysis.failed) and fails this target as a bug.
        noInternalError(inspection.signatures());
    }

    /**
     * The verifier turns Bouncy Castle's unchecked exceptions on malformed ASN.1 into MALFORMED signatures, and cannot
     * tell them from its own; a NullPointerException is neither library's way to report bad data, so one with the JDK's
     * message (it names the null expression) fails the target.
     */
    static void noInternalError(List<SignatureInfo> signatures) {
        for (SignatureInfo signature : signatures) {
            assertThat(signature.problems())
                    .as("problems of %s", signature)
                    .noneMatch(p -> HELPFUL_NPE.matcher(p).find());
        }
    }

    private static final java.util.regex.Pattern HELPFUL_NPE = java.util.regex.Pattern.compile(
            "Cannot (invoke|read field|assign field|load from|store to|read the array length|throw exception|enter"
                    + " synchronized block) .*because ");
}
