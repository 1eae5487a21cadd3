package dev.tollgate.intel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Hashes;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IntelAnalyzerTest {

    static final Hashes FFMPEG = new Hashes(
            "7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896",
            "bf939c9c261d27ee7bb92325cc588624fca75429",
            "74bc2d0b6680faa1a5a76b27e5479cbc");
    static final Hashes CLEAN = new Hashes("a".repeat(64), "b".repeat(40), "c".repeat(32));

    private final IntelAnalyzer analyzer = analyzer();

    private static IntelAnalyzer analyzer() {
        try {
            return new IntelAnalyzer(
                    TestFeeds.index("3cx-bundle.json", "3cx-misp-event.json", "3cx-indicators.tsv", "mixed.csv"));
        } catch (IntelFeedException e) {
            throw new AssertionError(e);
        }
    }

    static FileRecord file(String path, Hashes hashes, List<SignatureInfo> signatures, NetworkIndicators indicators) {
        return new FileRecord(
                path, 1234, hashes, FileType.PE, 6.1, signatures, indicators, Optional.empty(), List.of(), List.of());
    }

    static SignatureInfo signedBy(String serial, String thumbprint) {
        return signedBy(serial, thumbprint, "0123456789abcdef0123456789abcdef01234567"); // the one mixed.csv lists
    }

    static SignatureInfo signedBy(String serial, String thumbprint, String thumbprintSha1) {
        return new SignatureInfo(
                "authenticode",
                SignatureStatus.VALID,
                "CN=3CX Ltd",
                "CN=DigiCert",
                serial,
                thumbprint,
                "SHA-256",
                Optional.empty(),
                Optional.empty(),
                0,
                List.of(),
                thumbprintSha1,
                "");
    }

    private List<Finding> analyze(FileRecord file) {
        return analyzer.analyze(file);
    }

    @Test
    void flagsTheBackdooredFfmpegByEveryHashTheFeedsList() {
        List<Finding> findings = analyze(file("3cx.msi!ffmpeg.dll", FFMPEG, List.of(), NetworkIndicators.NONE));

        assertThat(findings).extracting(Finding::code).containsOnly(IntelAnalyzer.HASH);
        assertThat(findings)
                .extracting(f -> f.evidence().get("algorithm"))
                .containsExactlyInAnyOrder("SHA-256", "SHA-1", "MD5");
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.path()).isEqualTo("3cx.msi!ffmpeg.dll");
        });
        Finding sha256 = findings.getFirst();
        assertThat(sha256.evidence())
                .containsEntry("indicator", FFMPEG.sha256())
                .containsEntry("matched", FFMPEG.sha256())
                .containsEntry("indicatorType", "sha256")
                .containsEntry("name", "3CX ffmpeg.dll, backdoored")
                .containsEntry("id", "indicator--0a3e0f6b-0d1c-4b55-9f0c-3c9d0b0e7a01")
                .containsEntry("author", "Example ISAC")
                .containsEntry("feedFormat", "stix")
                .containsEntry("feed", TestFeeds.resource("3cx-bundle.json").toString());
        assertThat(sha256.message()).startsWith("the file's SHA-256 is in threat intel: 3CX ffmpeg.dll, backdoored (");
    }

    @Test
    void flagsC2DomainsSubdomainsUrlsTheirHostsAndNetworks() {
        NetworkIndicators seen = new NetworkIndicators(
                List.of(
                        "http://cdn.glcloudservice.com/x.ico",
                        "https://raw.githubusercontent.com/IconStorages/images/main/icon13.ico"),
                List.of("notakamaicontainer.com", "update.akamaicontainer.com"),
                List.of("192.0.2.77", "198.51.100.7"));
        List<Finding> findings = analyze(file("app.exe", CLEAN, List.of(), seen));

        assertThat(findings)
                .extracting(Finding::code, f -> f.evidence().get("indicator"), f -> f.evidence()
                        .get("matched"))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                IntelAnalyzer.DOMAIN, "akamaicontainer.com", "update.akamaicontainer.com"),
                        org.assertj.core.groups.Tuple.tuple(IntelAnalyzer.IP, "192.0.2.0/24", "192.0.2.77"),
                        org.assertj.core.groups.Tuple.tuple(IntelAnalyzer.IP, "198.51.100.0/24", "198.51.100.7"),
                        org.assertj.core.groups.Tuple.tuple(
                                IntelAnalyzer.URL,
                                "https://raw.githubusercontent.com/IconStorages/images/main/icon13.ico",
                                "https://raw.githubusercontent.com/IconStorages/images/main/icon13.ico"),
                        org.assertj.core.groups.Tuple.tuple(
                                IntelAnalyzer.DOMAIN, "glcloudservice.com", "cdn.glcloudservice.com"));
        Finding viaUrl = findings.stream()
                .filter(f -> "glcloudservice.com".equals(f.evidence().get("indicator")))
                .findFirst()
                .orElseThrow();
        assertThat(viaUrl.evidence())
                .containsEntry("url", "http://cdn.glcloudservice.com/x.ico")
                .containsEntry("author", "Example CERT");
        assertThat(viaUrl.message()).contains("cdn.glcloudservice.com, covered by glcloudservice.com");
    }

    @Test
    void aDomainSeenTwiceIsOneFinding() {
        NetworkIndicators seen = new NetworkIndicators(
                List.of("https://akamaicontainer.com/a", "https://akamaicontainer.com/b"),
                List.of("akamaicontainer.com"),
                List.of());

        assertThat(analyze(file("app.exe", CLEAN, List.of(), seen))).hasSize(1);
    }

    @Test
    void flagsASignerCertificateBySerialAndThumbprint() {
        SignatureInfo signature = signedBy("1b6611df9c9a4d6ecc8ed50c9b917873", "abcdef0123456789".repeat(4));
        List<Finding> findings = analyze(file("3CXDesktopApp.exe", CLEAN, List.of(signature), NetworkIndicators.NONE));

        assertThat(findings).extracting(Finding::code).containsOnly(IntelAnalyzer.CERTIFICATE);
        assertThat(findings)
                .extracting(f -> f.evidence().get("algorithm"))
                .containsExactlyInAnyOrder("serial", "serial", "thumbprint-SHA-256", "thumbprint-SHA-1");
        assertThat(findings).allSatisfy(f -> assertThat(f.evidence()).containsEntry("signer", "CN=3CX Ltd"));
    }

    @Test
    void cleanFilesHaveNoFindings() {
        NetworkIndicators benign = new NetworkIndicators(
                List.of("https://www.3cx.com/downloads/", "http://ocsp.digicert.com"),
                List.of("3cx.com", "digicert.com", "example.com"),
                List.of("8.8.8.8", "2001:4860:4860::8888"));
        List<Finding> findings =
                analyze(file("clean.exe", CLEAN, List.of(signedBy("0a1b2c", "0".repeat(64), "1".repeat(40))), benign));

        assertThat(findings).isEmpty();
        assertThat(analyzer.name()).isEqualTo("intel");
    }
}
