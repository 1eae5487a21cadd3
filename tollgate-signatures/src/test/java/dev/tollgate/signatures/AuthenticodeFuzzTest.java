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
 * {@code fixtures/}, and any crash reproducer), as regression tests. Any exception, or a result without a signature or
 * a finding, is a bug: malformed input must become data.
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
    }

    @FuzzTest(maxDuration = "60s")
    void inspectPe(byte[] file) {
        PeInspection inspection = INSPECTOR.inspect("fuzz.dll", ByteView.of(file));

        assertThat(inspection.findings().isEmpty() && inspection.signatures().isEmpty())
                .as("an inspection always says something: a signature or a finding")
                .isFalse();
    }
}
