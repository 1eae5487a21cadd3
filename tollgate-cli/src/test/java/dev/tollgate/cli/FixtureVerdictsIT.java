package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance tests: the CLI, run in-process as a user runs it, on the committed fixtures (see
 * {@code fixtures/README.md} for how each was made and why each verdict is expected). Tests run with the module
 * directory as working directory, so the fixtures are at {@code ../fixtures}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FixtureVerdictsIT {

    private static final Path FIXTURES = Path.of("..", "fixtures");
    private static final Path PE = FIXTURES.resolve("pe");
    private static final Path TEST_ROOT = FIXTURES.resolve("pki/root.pem");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<Integer, String> VERDICT_BY_EXIT = Map.of(0, "allow", 3, "hold", 4, "block");

    /** One row of the README's table: a fixture whose result is exactly known. */
    record Expectation(String file, int exitCode, Set<String> findingCodes) {
        @Override
        public String toString() {
            return file + " -> " + VERDICT_BY_EXIT.get(exitCode) + " " + findingCodes;
        }
    }

    static Stream<Expectation> exactlyKnownResults() {
        return Stream.of(
                new Expectation("orbit.dll", 0, Set.of("signature.missing")),
                new Expectation("orbit.exe", 0, Set.of("signature.missing")),
                new Expectation("orbit-1.2.4.dll", 0, Set.of("signature.missing")),
                new Expectation("orbit-dll.png", 0, Set.of("signature.missing")),
                new Expectation("orbit32.dll", 0, Set.of("signature.missing")),
                new Expectation("orbit-codec.dll", 0, Set.of("signature.missing")),
                new Expectation("orbit-trojanized.dll", 0, Set.of("signature.missing")),
                // The bytes after the last section are the COFF symbol table the file header points at: no overlay.
                new Expectation("orbit-unstripped.dll", 0, Set.of("signature.missing")),
                new Expectation("orbit-unstripped-signed.dll", 0, Set.of()),
                new Expectation("orbit-signed.dll", 0, Set.of()),
                // SHA-1 alone is deprecated for Authenticode: reported, not held.
                new Expectation("orbit-signed-sha1.dll", 0, Set.of("signature.weak-digest")),
                new Expectation("orbit-signed-sha384.dll", 0, Set.of()),
                new Expectation("orbit-signed-sha512.dll", 0, Set.of()),
                new Expectation("orbit32-signed.dll", 0, Set.of()),
                new Expectation("orbit-trojanized-signed.dll", 0, Set.of()),
                new Expectation("orbit-signed.exe", 0, Set.of()),
                new Expectation("orbit-1.2.4-signed.dll", 0, Set.of()),
                new Expectation("orbit-dual-signed.dll", 0, Set.of()),
                new Expectation("orbit-padding7.dll", 0, Set.of()),
                new Expectation("orbit-timestamped.dll", 0, Set.of()),
                new Expectation("orbit-expired-timestamped.dll", 0, Set.of()),
                new Expectation("orbit-lookalike.dll", 3, Set.of("signature.untrusted")),
                new Expectation("orbit-noeku.dll", 3, Set.of("signature.untrusted")),
                new Expectation("orbit-expired.dll", 3, Set.of("signature.untrusted")),
                new Expectation("orbit-signed-patched.dll", 4, Set.of("signature.digest-mismatch")),
                new Expectation("orbit-sigflip.dll", 4, Set.of("signature.appended-data")),
                new Expectation("orbit-sigflip-after-padding.dll", 4, Set.of("signature.appended-data")),
                // The trailing bytes also read as a WIN_CERTIFICATE header whose length runs past the table.
                new Expectation("orbit-table-trailing-data.dll", 4, Set.of("signature.appended-data", "pe.malformed")),
                new Expectation("orbit-signed-overlay.dll", 4, Set.of("signature.digest-mismatch", "pe.overlay")),
                new Expectation("orbit-overlay.dll", 0, Set.of("signature.missing", "pe.overlay")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exactlyKnownResults")
    void givesTheDocumentedVerdictAndFindings(Expectation expected) throws IOException {
        Path file = PE.resolve(expected.file());
        Scan scan = scan(file.toString(), "--format", "json", "--trust", TEST_ROOT.toString());

        assertThat(scan.exitCode()).as(scan.describe()).isEqualTo(expected.exitCode());
        JsonNode report = scan.report();
        assertThat(report.path("verdict").asText()).isEqualTo(VERDICT_BY_EXIT.get(expected.exitCode()));
        JsonNode record = onlyFile(report);
        assertThat(record.path("path").asText()).endsWith(expected.file());
        assertThat(findingCodes(report, record.path("path").asText()))
                .as(scan.describe())
                .isEqualTo(expected.findingCodes());
        assertThat(findingCodes(report, null))
                .as("every finding names the scanned file")
                .isEqualTo(expected.findingCodes());
    }

    @Test
    void reportsSizeAndSha256OfTheFileAsOnDisk() throws IOException {
        Path file = PE.resolve("orbit-signed.dll");
        JsonNode record = onlyFile(scanJson(file).report());

        assertThat(record.path("size").asLong()).isEqualTo(Files.size(file));
        assertThat(record.path("sha256").asText()).isEqualTo(sha256(file));
        assertThat(record.path("type").asText()).isEqualTo("pe");
    }

    @Test
    void identifiesAPeByItsBytesNotItsName() throws IOException {
        JsonNode record = onlyFile(scanJson(PE.resolve("orbit-dll.png")).report());

        assertThat(record.path("type").asText()).isEqualTo("pe");
    }

    @Test
    void namesTheSignerOfAValidSignature() throws IOException {
        JsonNode signature =
                onlySignature(onlyFile(scanJson(PE.resolve("orbit-signed.dll")).report()));

        assertThat(signature.path("status").asText()).isEqualTo("valid");
        assertThat(signature.path("signer").asText()).startsWith("CN=Orbit Telecom Ltd");
        assertThat(signature.path("issuer").asText()).contains("CN=Tollgate Test Code Signing CA");
        assertThat(signature.path("thumbprintSha256").asText())
                .isEqualTo(certificateThumbprint(FIXTURES.resolve("pki/orbit.pem")));
    }

    @Test
    void tellsALookalikeFromTheRealSignerDespiteTheSameSubject() throws IOException {
        JsonNode genuine =
                onlySignature(onlyFile(scanJson(PE.resolve("orbit-signed.dll")).report()));
        JsonNode lookalike = onlySignature(
                onlyFile(scanJson(PE.resolve("orbit-lookalike.dll")).report()));

        assertThat(lookalike.path("signer").asText())
                .isEqualTo(genuine.path("signer").asText());
        assertThat(lookalike.path("status").asText()).isEqualTo("untrusted");
        assertThat(lookalike.path("issuer").asText()).contains("CN=Lookalike Root CA");
        assertThat(lookalike.path("thumbprintSha256").asText())
                .isNotEqualTo(genuine.path("thumbprintSha256").asText())
                .isEqualTo(certificateThumbprint(FIXTURES.resolve("pki/lookalike.pem")));
    }

    @Test
    void verifiesBothSignaturesOfADualSignedFile() throws IOException {
        JsonNode record = onlyFile(scanJson(PE.resolve("orbit-dual-signed.dll")).report());

        assertThat(record.path("signatures")).hasSize(2);
        assertThat(record.path("signatures"))
                .allSatisfy(signature ->
                        assertThat(signature.path("status").asText()).isEqualTo("valid"));
    }

    @Test
    void namesTheTimestampAuthority() throws IOException {
        JsonNode signature = onlySignature(
                onlyFile(scanJson(PE.resolve("orbit-timestamped.dll")).report()));

        assertThat(signature.path("status").asText()).isEqualTo("valid");
        assertThat(signature.path("timestampAuthority").asText()).contains("CN=Tollgate Test Timestamping Authority");
    }

    @Test
    void judgesAnExpiredCertificateAtTheTimeItsTimestampVouchesFor() throws IOException {
        JsonNode signature = onlySignature(
                onlyFile(scanJson(PE.resolve("orbit-expired-timestamped.dll")).report()));

        assertThat(signature.path("status").asText()).isEqualTo("valid");
        assertThat(signature.path("signingTime").asText()).startsWith("2020-06-01T00:00");
    }

    @Test
    void marksATamperedSignatureAsDigestMismatch() throws IOException {
        JsonNode signature = onlySignature(
                onlyFile(scanJson(PE.resolve("orbit-signed-patched.dll")).report()));

        assertThat(signature.path("status").asText()).isEqualTo("digest-mismatch");
    }

    @Test
    void flagsPayloadHiddenInCertificateTableWhileTheSignatureStaysValid() throws IOException {
        JsonNode report = scanJson(PE.resolve("orbit-sigflip.dll")).report();

        assertThat(onlySignature(onlyFile(report)).path("status").asText()).isEqualTo("valid");
        JsonNode finding = onlyFinding(report, "signature.appended-data");
        assertThat(finding.path("severity").asText()).isEqualTo("critical");
        List<JsonNode> evidence = leaves(finding.path("evidence"));
        // 16398 bytes follow the blob: the 8-byte tag, 16384 random bytes, 6 bytes of alignment.
        assertThat(evidence)
                .as("evidence counts the hidden bytes: %s", finding.path("evidence"))
                .anySatisfy(value ->
                        assertThat(value.isNumber() ? value.asLong() : -1).isBetween(16384L, 16398L));
        assertThat(evidence)
                .as("evidence says the SigFlip tag is there: %s", finding.path("evidence"))
                .anySatisfy(value ->
                        assertThat(value.isBoolean() && value.asBoolean()).isTrue());
    }

    @Test
    void acceptsSevenZeroBytesOfAlignmentAfterTheBlob() throws IOException {
        Scan scan = scanJson(PE.resolve("orbit-padding7.dll"));

        assertThat(scan.exitCode()).as(scan.describe()).isZero();
        assertThat(scan.report().path("findings")).isEmpty();
    }

    @Test
    void holdsAGenuinelySignedFileWhenItsRootIsNotTrusted() throws IOException {
        Scan scan = scan(PE.resolve("orbit-signed.dll").toString(), "--format", "json");

        assertThat(scan.exitCode()).as(scan.describe()).isEqualTo(Main.EXIT_HOLD);
        assertThat(findingCodes(scan.report(), null)).containsExactly("signature.untrusted");
    }

    @Test
    void extractsUrlsAndDomainsFromAsciiAndUtf16Strings() throws IOException {
        JsonNode record = onlyFile(scanJson(PE.resolve("orbit-1.2.4.dll")).report());

        assertThat(textValues(record, "urls"))
                .contains(
                        "https://cdn.orbit-update.example.com/v1/check?channel=stable",
                        "https://raw.githubusercontent.com/orbit-telecom/assets/main/icon13.ico");
        assertThat(textValues(record, "domains"))
                .contains("cdn.orbit-update.example.com", "raw.githubusercontent.com")
                .doesNotContain("ffmpeg.dll");
    }

    @Test
    void doesNotMistakeAFileNameForADomain() throws IOException {
        JsonNode record = onlyFile(scanJson(PE.resolve("orbit.dll")).report());

        assertThat(textValues(record, "domains")).doesNotContain("ffmpeg.dll");
    }

    @Test
    void readsTheVersionResourceAndExports() throws IOException {
        JsonNode pe = onlyFile(scanJson(PE.resolve("orbit.dll")).report()).path("pe");

        assertThat(pe.path("pe32Plus").asBoolean()).isTrue();
        assertThat(pe.path("dll").asBoolean()).isTrue();
        assertThat(pe.path("version").path("CompanyName").asText()).isEqualTo("Orbit Telecom Ltd");
        assertThat(pe.path("version").path("FileVersion").asText()).isEqualTo("1.2.3.4");
        assertThat(pe.path("version").path("OriginalFilename").asText()).isEqualTo("orbit.dll");
        assertThat(textValues(pe, "exports"))
                .anySatisfy(name -> assertThat(name).contains("OrbitVersion"))
                .anySatisfy(name -> assertThat(name).contains("OrbitReadSetting"));
        assertThat(textValues(pe, "imports"))
                .anySatisfy(name ->
                        assertThat(name).containsIgnoringCase("ADVAPI32").contains("RegOpenKeyExA"));
    }

    @Test
    void readsPe32AsWellAsPe32Plus() throws IOException {
        JsonNode pe = onlyFile(scanJson(PE.resolve("orbit32.dll")).report()).path("pe");

        assertThat(pe.path("pe32Plus").isBoolean())
                .as("pe32Plus reported in %s", pe)
                .isTrue();
        assertThat(pe.path("pe32Plus").asBoolean()).isFalse();
        assertThat(pe.path("version").path("FileVersion").asText()).isEqualTo("1.2.3.4");
        assertThat(textValues(pe, "imports"))
                .anySatisfy(
                        name -> assertThat(name).containsIgnoringCase("USER32").contains("MessageBoxA"));
    }

    @Test
    void readsDelayLoadedAndOrdinalImports() throws IOException {
        JsonNode pe = onlyFile(scanJson(PE.resolve("orbit-codec.dll")).report()).path("pe");

        assertThat(textValues(pe, "imports"))
                .anySatisfy(
                        name -> assertThat(name).containsIgnoringCase("WININET").contains("InternetOpenA"))
                .anySatisfy(
                        name -> assertThat(name).containsIgnoringCase("WS2_32").contains("8"));
    }

    @Test
    void seesTheNewImportsOfTheNextRelease() throws IOException {
        JsonNode pe = onlyFile(scanJson(PE.resolve("orbit-1.2.4.dll")).report()).path("pe");

        assertThat(pe.path("version").path("FileVersion").asText()).isEqualTo("1.2.4.0");
        assertThat(textValues(pe, "imports"))
                .anySatisfy(
                        name -> assertThat(name).containsIgnoringCase("WININET").contains("InternetOpenA"));
    }

    @Test
    void reportsACertificateTheSignersChainDoesNotNeed() throws IOException {
        Scan scan = scanJson(PE.resolve("orbit-extra-cert.dll"));

        // Allowed: the signature verifies and chains to the test root; the extra certificate is low, and the default
        // policy holds only on high (a place to carry data, not tampering).
        assertThat(scan.exitCode()).as(scan.describe()).isEqualTo(Main.EXIT_ALLOW);
        assertThat(findingCodes(scan.report(), null)).containsExactly("signature.extra-certificate");
        assertThat(onlySignature(onlyFile(scan.report())).path("status").asText())
                .isEqualTo("valid");
        assertThat(scan.out()).as("the report names the extra certificate").contains("Lookalike Root CA");
    }

    @Test
    void reportsAnUnexpectedUnauthenticatedAttribute() throws IOException {
        Scan scan = scanJson(PE.resolve("orbit-unauth-blob.dll"));

        // Allowed: the signature itself is valid; an unauthenticated attribute is medium (outside the signature, worth
        // reading in the report), and the default policy holds only on high.
        assertThat(scan.exitCode()).as(scan.describe()).isEqualTo(Main.EXIT_ALLOW);
        assertThat(findingCodes(scan.report(), null)).containsExactly("signature.unexpected-attribute");
        assertThat(onlySignature(onlyFile(scan.report())).path("status").asText())
                .isEqualTo("valid");
        assertThat(scan.report().path("findings")).as(scan.describe()).isNotEmpty();
        assertThat(scan.out()).as("the report names the attribute").contains("1.3.6.1.4.1.42921.1.2.1");
    }

    @Test
    void acceptsShimsTwoZeroPaddedMicrosoftSignaturesThatOsslsigncodeRejects() throws IOException {
        Scan scan = scanJson(FIXTURES.resolve("efi/shimx64.efi.signed"));

        // Microsoft's UEFI roots are not trust anchors here, so it is held, but nothing is tampered.
        assertThat(scan.exitCode()).as(scan.describe()).isEqualTo(Main.EXIT_HOLD);
        assertThat(findingCodes(scan.report(), null)).containsExactly("signature.untrusted");
        JsonNode record = onlyFile(scan.report());
        assertThat(record.path("signatures")).hasSize(2);
        assertThat(record.path("signatures"))
                .allSatisfy(signature ->
                        assertThat(signature.path("status").asText()).isEqualTo("untrusted"));
    }

    @Test
    void allowsDebiansGrubWhenDebiansSecureBootCaIsTrusted() throws IOException {
        Path grub = FIXTURES.resolve("efi/grubx64.efi.signed");
        assumeThat(grub)
                .as("grubx64.efi.signed is git-ignored; fixtures/make-fixtures.sh fetches it")
                .exists();

        Scan scan = scan(
                grub.toString(),
                "--format",
                "json",
                "--trust",
                FIXTURES.resolve("efi/debian-secure-boot-ca.pem").toString());

        assertThat(scan.exitCode()).as(scan.describe()).isEqualTo(Main.EXIT_ALLOW);
        assertThat(scan.report().path("findings")).isEmpty();
        assertThat(onlySignature(onlyFile(scan.report())).path("signer").asText())
                .contains("CN=Debian Secure Boot Signer 2022 - grub2");
    }

    /**
     * A broken certificate table is never a valid signature, never allowed. A table running past the end of the file
     * is held (signature.malformed is high: nothing it claims can be relied on, but no bytes are hidden); a truncated
     * entry leaves bytes no signature accounts for, signature.appended-data, critical, so it blocks.
     */
    @ParameterizedTest
    @CsvSource({"orbit-cert-past-eof.dll, hold", "orbit-truncated-cert.dll, block"})
    void neverTrustsABrokenCertificateTable(String name, String verdict) throws IOException {
        Scan scan = scanJson(PE.resolve(name));

        assertThat(scan.exitCode())
                .as(scan.describe())
                .isEqualTo(verdict.equals("hold") ? Main.EXIT_HOLD : Main.EXIT_BLOCK);
        assertThat(scan.report().path("verdict").asText()).isEqualTo(verdict);
        assertThat(findingCodes(scan.report(), null)).as(scan.describe()).anySatisfy(code -> assertThat(code)
                .startsWith("signature."));
        assertThat(onlyFile(scan.report()).path("signatures"))
                .noneSatisfy(signature ->
                        assertThat(signature.path("status").asText()).isEqualTo("valid"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"orbit-truncated-half.dll", "orbit-truncated-headers.dll"})
    void reportsTheDamageInATruncatedExecutable(String name) throws IOException {
        Scan scan = scanJson(PE.resolve(name));

        // A report, never an internal error: damage is data (pe.malformed), and the scan goes on.
        assertThat(scan.exitCode()).as(scan.describe()).isNotEqualTo(Main.EXIT_INTERNAL_ERROR);
        assertThat(findingCodes(scan.report(), null)).as(scan.describe()).anySatisfy(code -> assertThat(code)
                .startsWith("pe."));
        assertThat(onlyFile(scan.report()).path("signatures"))
                .noneSatisfy(signature ->
                        assertThat(signature.path("status").asText()).isEqualTo("valid"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty.dll", "garbage.dll"})
    void givesAFindingForFilesThatAreNotExecutables(String name) throws IOException {
        Scan scan = scanJson(PE.resolve(name));

        // A report, never an internal error: a file that is not what its name says is a finding.
        assertThat(scan.exitCode()).as(scan.describe()).isNotEqualTo(Main.EXIT_INTERNAL_ERROR);
        assertThat(scan.report().path("findings")).as(scan.describe()).isNotEmpty();
        assertThat(onlyFile(scan.report()).path("type").asText()).isNotEqualTo("pe");
    }

    @Test
    void scansTheWholeDirectoryWithTheSameResultPerFile() throws IOException {
        Scan scan = scan(PE.toString(), "--format", "json", "--trust", TEST_ROOT.toString());

        assertThat(scan.exitCode()).as(scan.describe()).isEqualTo(Main.EXIT_BLOCK);
        JsonNode report = scan.report();
        assertThat(report.path("verdict").asText()).isEqualTo("block");
        List<String> paths = new ArrayList<>();
        report.path("files").forEach(file -> paths.add(file.path("path").asText()));
        try (Stream<Path> onDisk = Files.list(PE)) {
            assertThat(paths).as("each file once").doesNotHaveDuplicates().hasSize((int) onDisk.count());
        }
        exactlyKnownResults().forEach(expected -> {
            String path = paths.stream()
                    .filter(p -> p.equals(expected.file()) || p.endsWith("/" + expected.file()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(expected.file() + " missing from " + paths));
            assertThat(findingCodes(report, path)).as(path).isEqualTo(expected.findingCodes());
        });
    }

    @Test
    void writesTheReportToTheOutputFileAndNothingElseToStdout(@TempDir Path temp) throws IOException {
        Path output = temp.resolve("report.json");
        Scan scan = scan(
                PE.resolve("orbit-sigflip.dll").toString(),
                "--format",
                "json",
                "--trust",
                TEST_ROOT.toString(),
                "--output",
                output.toString());

        assertThat(scan.exitCode()).as(scan.describe()).isEqualTo(Main.EXIT_BLOCK);
        assertThat(scan.out()).isEmpty();
        JsonNode report = JSON.readTree(output.toFile());
        assertThat(report.path("verdict").asText()).isEqualTo("block");
        assertThat(report.path("tool").path("name").asText()).isEqualTo("tollgate");
    }

    @Test
    void reportsTheSigFlipPayloadInSarifForCodeScanningDashboards() throws IOException {
        Scan scan =
                scan(PE.resolve("orbit-sigflip.dll").toString(), "--format", "sarif", "--trust", TEST_ROOT.toString());

        assertThat(scan.exitCode()).as(scan.describe()).isEqualTo(Main.EXIT_BLOCK);
        JsonNode sarif = JSON.readTree(scan.out());
        assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.path("runs").path(0).path("results"))
                .anySatisfy(result -> assertThat(result.path("ruleId").asText()).isEqualTo("signature.appended-data"));
    }

    @Test
    void reportsAMissingFileInOneLine() {
        Scan scan = scan(PE.resolve("no-such-file.dll").toString(), "--format", "json");

        // A usage error: the command line named something that is not there; nothing inside Tollgate failed.
        assertThat(scan.exitCode()).as(scan.describe()).isEqualTo(Main.EXIT_USAGE);
        assertOneClearErrorLine(scan, "no-such-file.dll");
    }

    // ---------------------------------------------------------------------------------------------

    /** What one in-process run of the CLI produced. */
    record Scan(List<String> args, int exitCode, String out, String err) {

        JsonNode report() throws IOException {
            assertThat(out).as("stdout of %s is a JSON report", args).isNotBlank();
            return JSON.readTree(out);
        }

        String describe() {
            return "tollgate " + String.join(" ", args) + " exited " + exitCode + "; stderr: " + err;
        }
    }

    private static Scan scan(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of("scan"));
        arguments.addAll(List.of(args));
        int exitCode;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exitCode = Main.run(arguments.toArray(String[]::new), outStream, errStream);
        }
        Scan scan = new Scan(
                List.copyOf(arguments),
                exitCode,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
        assertNoStackTrace(scan);
        if (VERDICT_BY_EXIT.containsKey(exitCode) && arguments.contains("json") && !arguments.contains("--output")) {
            try {
                JsonNode report = scan.report();
                assertThat(report.path("files").isArray()
                                && report.path("findings").isArray())
                        .as("the report has files and findings arrays: %s", report)
                        .isTrue();
                assertThat(report.path("verdict").asText())
                        .as("the verdict matches the exit code")
                        .isEqualTo(VERDICT_BY_EXIT.get(exitCode));
            } catch (IOException e) {
                throw new AssertionError("--format json output does not parse: " + scan.describe(), e);
            }
        }
        return scan;
    }

    private static Scan scanJson(Path file) {
        return scan(file.toString(), "--format", "json", "--trust", TEST_ROOT.toString());
    }

    private static void assertNoStackTrace(Scan scan) {
        assertThat(scan.err())
                .as("stderr never shows a stack trace: %s", scan.describe())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("Caused by");
    }

    private static void assertOneClearErrorLine(Scan scan, String fileName) {
        assertThat(scan.err().strip().lines().toList())
                .as("one error line naming the file: %s", scan.describe())
                .singleElement()
                .satisfies(line -> assertThat(line).contains(fileName));
    }

    private static JsonNode onlyFile(JsonNode report) {
        assertThat(report.path("files")).as("files of %s", report).hasSize(1);
        return report.path("files").get(0);
    }

    private static JsonNode onlySignature(JsonNode file) {
        assertThat(file.path("signatures")).as("signatures of %s", file).hasSize(1);
        return file.path("signatures").get(0);
    }

    private static JsonNode onlyFinding(JsonNode report, String code) {
        List<JsonNode> matching = StreamSupport.stream(report.path("findings").spliterator(), false)
                .filter(finding -> finding.path("code").asText().equals(code))
                .toList();
        assertThat(matching).as("%s findings in %s", code, report).hasSize(1);
        return matching.getFirst();
    }

    /** Codes of the findings on {@code path}, or of all findings when {@code path} is null. */
    private static Set<String> findingCodes(JsonNode report, String path) {
        Set<String> codes = new TreeSet<>();
        for (JsonNode finding : report.path("findings")) {
            if (path == null || finding.path("path").asText().equals(path)) {
                codes.add(finding.path("code").asText());
            }
        }
        return codes;
    }

    /** Every text in arrays named {@code field} anywhere under {@code node} (the indicators' shape is not fixed). */
    private static List<String> textValues(JsonNode node, String field) {
        List<JsonNode> arrays = node.findValues(field);
        assertThat(arrays).as("%s reported in %s", field, node).isNotEmpty();
        List<String> values = new ArrayList<>();
        arrays.forEach(array -> array.forEach(value -> values.add(value.asText())));
        return values;
    }

    private static List<JsonNode> leaves(JsonNode node) {
        List<JsonNode> leaves = new ArrayList<>();
        if (node.isContainerNode()) {
            node.forEach(child -> leaves.addAll(leaves(child)));
        } else {
            leaves.add(node);
        }
        return leaves;
    }

    private static String sha256(Path file) throws IOException {
        return sha256Hex(Files.readAllBytes(file));
    }

    private static String certificateThumbprint(Path pem) throws IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String base64 = text.substring(
                        text.indexOf("-----BEGIN CERTIFICATE-----") + "-----BEGIN CERTIFICATE-----".length(),
                        text.indexOf("-----END CERTIFICATE-----"))
                .replaceAll("\\s", "");
        return sha256Hex(Base64.getDecoder().decode(base64));
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
