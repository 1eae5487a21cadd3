package dev.tollgate.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.pe.PeFile;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cross-checks the image digests behind every signature {@link PeInspector} reports with what
 * {@code osslsigncode verify} calculates on the same fixture (osslsigncode 2.9, installed by {@code .ci/run}).
 */
class OsslsigncodeCrossCheckIT {

    private static final Path PE = Path.of("..", "fixtures", "pe");
    private static final Pattern DIGESTS =
            Pattern.compile("Message digest algorithm\\s+: (\\S+)\\s+Current message digest\\s+: (\\p{XDigit}+)\\s+"
                    + "Calculated message digest : (\\p{XDigit}+)");

    /** What osslsigncode says about one signature. */
    private record Calculated(String algorithm, String signed, String calculated) {}

    private static List<Calculated> osslsigncode(Path file) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("osslsigncode", "verify", "-in", file.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            assumeTrue(false, "osslsigncode is not installed");
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<Calculated> found = new ArrayList<>();
        Matcher matcher = DIGESTS.matcher(output);
        while (matcher.find()) {
            found.add(new Calculated(
                    matcher.group(1),
                    matcher.group(2).toLowerCase(Locale.ROOT),
                    matcher.group(3).toLowerCase(Locale.ROOT)));
        }
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "orbit-signed.dll",
                "orbit32-signed.dll",
                "orbit-signed.exe",
                "orbit-signed-sha1.dll",
                "orbit-signed-sha384.dll",
                "orbit-signed-sha512.dll",
                "orbit-dual-signed.dll",
                "orbit-padding7.dll",
                "orbit-timestamped.dll",
                "orbit-expired-timestamped.dll",
                "orbit-lookalike.dll",
                "orbit-noeku.dll",
                "orbit-expired.dll",
                "orbit-signed-patched.dll",
                "orbit-sigflip.dll",
                "orbit-extra-cert.dll",
                "orbit-unauth-blob.dll"
            })
    void recomputesTheDigestOsslsigncodeCalculates(String name) throws Exception {
        Path file = PE.resolve(name);
        byte[] bytes = Files.readAllBytes(file);
        List<Calculated> expected = osslsigncode(file);
        List<SignatureInfo> signatures = new PeInspector(
                        TrustAnchors.of(List.of()), Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC))
                .inspect(name, ByteView.of(bytes))
                .signatures();

        assertThat(signatures).hasSameSizeAs(expected).isNotEmpty();
        PeFile pe = PeFile.parse(ByteView.of(bytes));
        for (int i = 0; i < expected.size(); i++) {
            SignatureInfo signature = signatures.get(i);
            Calculated calculated = expected.get(i);
            assertThat(signature.digestAlgorithm().replace("-", "")).isEqualTo(calculated.algorithm());
            MessageDigest md = MessageDigest.getInstance(signature.digestAlgorithm());
            pe.digest(md);
            assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(calculated.calculated());
            assertThat(signature.status() == SignatureStatus.DIGEST_MISMATCH)
                    .as("digest mismatch agrees with osslsigncode for signature %d", i)
                    .isEqualTo(!calculated.signed().equals(calculated.calculated()));
        }
    }
}
