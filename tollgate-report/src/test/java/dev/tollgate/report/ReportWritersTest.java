package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Hashes;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.PeSummary;
import dev.tollgate.model.Report;
import dev.tollgate.model.SectionInfo;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import dev.tollgate.model.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Golden tests: a fixed report must serialise to the committed files byte for byte. To accept a deliberate change,
 * run with {@code -Dtollgate.golden.update=true} and review the diff.
 */
class ReportWritersTest {

    static Report sampleReport() {
        SignatureInfo signature = new SignatureInfo(
                "authenticode",
                SignatureStatus.VALID,
                "CN=Orbit Telecom Ltd, O=Orbit Telecom Ltd, C=GB",
                "CN=Orbit Test Code Signing CA",
                "1a2b3c",
                "ab".repeat(32),
                "SHA-256",
                Optional.of(Instant.parse("2023-03-01T10:15:30Z")),
                Optional.of("CN=Orbit Test TSA"),
                0,
                List.of(),
                "",
                "");
        PeSummary pe = new PeSummary(
                "amd64",
                true,
                true,
                1677664530L,
                List.of(
                        new SectionInfo(".text", 4096, 4096, 0x60000020L, true, 6.123456),
                        new SectionInfo(".rdata", 512, 512, 0x40000040L, false, 3.5)),
                List.of("KERNEL32.dll!CreateFileW", "KERNEL32.dll!ReadFile"),
                List.of("DllMain"),
                Map.of("FileVersion", "20.0.1.0", "CompanyName", "Orbit Telecom Ltd"),
                9000);
        FileRecord dll = new FileRecord(
                "OrbitPhone-1.1.0.zip!d3dcompiler_47.dll",
                123456,
                new Hashes("01".repeat(32), "02".repeat(20), "03".repeat(16)),
                FileType.PE,
                6.54321,
                List.of(signature),
                new NetworkIndicators(
                        List.of("https://raw.githubusercontent.com/x/y"),
                        List.of("raw.githubusercontent.com"),
                        List.of("203.0.113.7")),
                Optional.of(pe),
                List.of(),
                List.of());
        FileRecord readme = new FileRecord(
                "README.txt",
                12,
                new Hashes("0a".repeat(32), "0b".repeat(20), "0c".repeat(16)),
                FileType.TEXT,
                3.0,
                List.of(),
                NetworkIndicators.NONE,
                Optional.empty(),
                List.of(),
                List.of());
        List<Finding> findings = List.of(
                new Finding(
                        "signature.appended-data",
                        Severity.CRITICAL,
                        "OrbitPhone-1.1.0.zip!d3dcompiler_47.dll",
                        "4096 bytes after the PKCS#7 blob in the certificate table, starting with FE ED FA CE",
                        Map.of("bytes", 4096, "entropy", 7.99876, "sigflipTag", true, "offsets", List.of(1024, 2048))),
                new Finding(
                        "file.skipped",
                        Severity.INFO,
                        "link with space",
                        "skipped link with space: symbolic link (not followed)",
                        Map.of("reason", "symbolic link (not followed)")));
        return new Report(
                "9.9.9",
                Verdict.BLOCK,
                List.of(dll, readme),
                findings,
                List.of("block: signature.appended-data (critical) in OrbitPhone-1.1.0.zip!d3dcompiler_47.dll"));
    }

    private static String render(ReportWriter writer, Report report) throws IOException {
        StringWriter out = new StringWriter();
        writer.write(report, out);
        return out.toString();
    }

    private static void assertGolden(String actual, String resource) throws IOException {
        if (Boolean.getBoolean("tollgate.golden.update")) {
            Path file = Path.of("src/test/resources/dev/tollgate/engine", resource);
            Files.writeString(file, actual);
        }
        try (InputStream in = ReportWritersTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("golden file %s", resource).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void jsonReportMatchesGoldenFile() throws IOException {
        assertGolden(render(ReportWriter.json(), sampleReport()), "report.golden.json");
    }

    @Test
    void aLargeReportWrittenInSlicesOnSeveralThreadsIsTheOneThreadReport() throws IOException {
        Report sample = sampleReport();
        List<FileRecord> files = new ArrayList<>();
        for (int i = 0; i < 3 * JsonReportWriter.PARALLEL_MIN_FILES + 7; i++) {
            FileRecord f = sample.files().get(i % 2);
            files.add(new FileRecord(
                    i + "/" + f.path(),
                    f.size() + i,
                    f.hashes(),
                    f.type(),
                    f.entropy(),
                    f.signatures(),
                    f.indicators(),
                    f.pe(),
                    List.of("ffmpeg.dll"),
                    List.of()));
        }
        for (int n : new int[] {
            0, 1, JsonReportWriter.PARALLEL_MIN_FILES - 1, JsonReportWriter.PARALLEL_MIN_FILES, files.size()
        }) {
            List<FileRecord> some = files.subList(0, n);

            StringWriter written = new StringWriter();
            JsonReportWriter.writeFilesArray(some, written);

            assertThat(written.toString()).as("%d files", n).isEqualTo(JsonReportWriter.slice(some));
        }
        // And the whole report reads as one written element by element: every file, in order, once.
        Report large = new Report(sample.toolVersion(), sample.verdict(), files, sample.findings(), sample.reasons());
        JsonNode root = new ObjectMapper().readTree(render(ReportWriter.json(), large));
        assertThat(root.path("files")).hasSize(files.size());
        for (int i = 0; i < files.size(); i++) {
            assertThat(root.path("files").get(i).path("path").asText())
                    .isEqualTo(files.get(i).path());
        }
        assertThat(render(ReportWriter.json(), large)).contains("\n  \"files\": [\n    {\n      \"path\": \"0/");
    }

    @Test
    void sarifReportMatchesGoldenFile() throws IOException {
        assertGolden(render(ReportWriter.sarif(), sampleReport()), "report.golden.sarif");
    }

    @Test
    void jsonReportHasTheContractFields() throws IOException {
        JsonNode root = new ObjectMapper().readTree(render(ReportWriter.json(), sampleReport()));

        assertThat(root.path("tool").path("name").asText()).isEqualTo("tollgate");
        assertThat(root.path("verdict").asText()).isEqualTo("block");
        JsonNode file = root.path("files").get(0);
        assertThat(file.path("path").asText()).isEqualTo("OrbitPhone-1.1.0.zip!d3dcompiler_47.dll");
        assertThat(file.path("size").asLong()).isEqualTo(123456);
        assertThat(file.path("type").asText()).isEqualTo("pe");
        JsonNode signature = file.path("signatures").get(0);
        for (String field : List.of("status", "signer", "issuer", "serial", "thumbprintSha256")) {
            assertThat(signature.path(field).isTextual()).as(field).isTrue();
        }
        JsonNode finding = root.path("findings").get(0);
        assertThat(finding.path("code").asText()).isEqualTo("signature.appended-data");
        assertThat(finding.path("severity").asText()).isEqualTo("critical");
        assertThat(finding.path("evidence").path("sigflipTag").asBoolean()).isTrue();
    }

    @Test
    void sarifPutsTheInnerPathOfAContainerInAProperty() throws IOException {
        JsonNode root = new ObjectMapper().readTree(render(ReportWriter.sarif(), sampleReport()));
        JsonNode result = root.path("runs").get(0).path("results").get(0);

        assertThat(result.path("level").asText()).isEqualTo("error");
        JsonNode location = result.path("locations").get(0);
        assertThat(location.path("physicalLocation")
                        .path("artifactLocation")
                        .path("uri")
                        .asText())
                .isEqualTo("OrbitPhone-1.1.0.zip");
        assertThat(location.path("properties").path("innerPath").asText()).isEqualTo("d3dcompiler_47.dll");
    }

    @Test
    void sarifUrisAreEncodedAndAbsolutePathsAreFileUris() {
        assertThat(SarifReportWriter.uri("dir/a b.dll")).isEqualTo("dir/a%20b.dll");
        assertThat(SarifReportWriter.uri("/tmp/r/x.dll")).isEqualTo("file:///tmp/r/x.dll");
        assertThat(SarifReportWriter.uri("c:odd")).isEqualTo("./c:odd");
        assertThat(SarifReportWriter.uri("dir/100%.dll")).isEqualTo("dir/100%25.dll");
    }

    @Test
    void sarifLevelsFollowSeverity() {
        assertThat(SarifReportWriter.level(Severity.CRITICAL)).isEqualTo("error");
        assertThat(SarifReportWriter.level(Severity.HIGH)).isEqualTo("error");
        assertThat(SarifReportWriter.level(Severity.MEDIUM)).isEqualTo("warning");
        assertThat(SarifReportWriter.level(Severity.LOW)).isEqualTo("note");
        assertThat(SarifReportWriter.level(Severity.INFO)).isEqualTo("note");
    }
}
