package dev.tollgate.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustAnchorsTest {

    @TempDir
    Path dir;

    private static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }

    @Test
    void readsEveryCertificateOfAPemFile() throws Exception {
        Path file = write(
                "roots.pem",
                "Roots for tests\n" + pem(TestPki.ROOT.certificate()) + "comment\r\n"
                        + pem(TestPki.OTHER_ROOT.certificate()).replace("\n", "\r\n"));

        TrustAnchors anchors = TrustAnchors.standard(List.of(file), Map.of(), false);

        assertThat(anchors.roots()).containsExactly(TestPki.ROOT.certificate(), TestPki.OTHER_ROOT.certificate());
        assertThat(anchors.anchors()).hasSize(2);
    }

    @Test
    void keepsOneAnchorPerCertificate() throws Exception {
        Path a = write("a.pem", pem(TestPki.ROOT.certificate()));
        Path b = write("b.pem", pem(TestPki.ROOT.certificate()) + pem(TestPki.ROOT.certificate()));

        assertThat(TrustAnchors.standard(List.of(a, b), Map.of(), false).roots())
                .hasSize(1);
    }

    @Test
    void refusesFileWithoutCertificateNamingIt() throws IOException {
        Path empty = write("empty.pem", "");
        Path key = write("key.pem", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> TrustAnchors.standard(List.of(empty), Map.of(), false))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(empty.toString())
                .hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> TrustAnchors.standard(List.of(key), Map.of(), false))
                .hasMessageContaining(key.toString());
    }

    @Test
    void refusesGarbageInsideCertificateMarkersNamingIt() throws IOException {
        Path garbage = write("garbage.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> TrustAnchors.standard(List.of(garbage), Map.of(), false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(garbage.toString())
                .hasMessageContaining("certificate 1 does not parse");
    }

    @Test
    void refusesMissingFile() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> TrustAnchors.standard(List.of(missing), Map.of(), false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void readsTrustStoreNamedByEnvironmentVariable() throws Exception {
        Path store = write("store.pem", pem(TestPki.OTHER_ROOT.certificate()));

        TrustAnchors anchors =
                TrustAnchors.standard(List.of(), Map.of("TOLLGATE_TRUST_ROOTS", store.toString()), false);

        assertThat(anchors.roots()).containsExactly(TestPki.OTHER_ROOT.certificate());
    }

    @Test
    void refusesEnvironmentVariableNamingMissingFile() {
        String missing = dir.resolve("nope.pem").toString();

        assertThatThrownBy(() -> TrustAnchors.standard(List.of(), Map.of("TOLLGATE_TRUST_ROOTS", missing), false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing)
                .hasMessageContaining("TOLLGATE_TRUST_ROOTS");
    }

    @Test
    void readsXdgTrustStoreWhenPresentElseNothing() throws Exception {
        Path config = dir.resolve("config");
        assertThat(TrustAnchors.configuredRootsFile(Map.of("XDG_CONFIG_HOME", config.toString())))
                .isEmpty();

        Files.createDirectories(config.resolve("tollgate"));
        Files.writeString(config.resolve("tollgate/trusted-roots.pem"), pem(TestPki.ROOT.certificate()));

        assertThat(TrustAnchors.standard(List.of(), Map.of("XDG_CONFIG_HOME", config.toString()), false)
                        .roots())
                .containsExactly(TestPki.ROOT.certificate());
    }

    @Test
    void fallsBackToHomeConfigDirectory() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".config/tollgate"));
        Path file = home.resolve(".config/tollgate/trusted-roots.pem");
        Files.writeString(file, pem(TestPki.ROOT.certificate()));

        assertThat(TrustAnchors.configuredRootsFile(Map.of("HOME", home.toString())))
                .contains(file);
        // The explicit variable wins over the XDG file.
        Path explicit = write("explicit.pem", pem(TestPki.OTHER_ROOT.certificate()));
        assertThat(TrustAnchors.configuredRootsFile(
                        Map.of("HOME", home.toString(), "TOLLGATE_TRUST_ROOTS", explicit.toString())))
                .contains(explicit);
    }

    @Test
    void includesTheJdkRootsByDefault() throws Exception {
        Path extra = write("extra.pem", pem(TestPki.ROOT.certificate()));

        TrustAnchors anchors = TrustAnchors.standard(List.of(extra), Map.of(), true);

        assertThat(anchors.roots()).hasSizeGreaterThan(50).contains(TestPki.ROOT.certificate());
    }
}
