package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureStatus;
import dev.tollgate.model.Verdict;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.PolicyLoader;
import dev.tollgate.signatures.TrustAnchors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NSIS installers (fixtures/nsis, see its README) through the whole engine: the 3CX case, a SigFlip-tampered
 * {@code d3dcompiler_47.dll} shipped inside a vendor's installer, signed or not, must block; an installer whose payload
 * is damaged must not be allowed.
 */
class NsisScanTest {

    private static final Path NSIS = Path.of("..", "fixtures", "nsis");

    private static Report scan(Path file) throws IOException {
        return scan(file, Policy.defaults());
    }

    private static Report scan(Path file, Policy policy) throws IOException {
        TrustAnchors trust = TrustAnchors.of(TrustAnchors.readPem(Path.of("..", "fixtures", "pki", "root.pem")));
        return ScanEngine.create(ScanOptions.defaults()
                        .withTrust(trust)
                        .withPolicy(policy)
                        .withThreads(1))
                .scan(List.of(file));
    }

    private static Path asSetupExe(Path dir, byte[] bytes) throws IOException {
        return Files.write(dir.resolve("setup.exe"), bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lzma-solid.exe", "lzma-solid-signed.exe", "zlib.exe", "bzip2-solid.exe"})
    void blocksAnInstallerCarryingASigFlipTamperedDll(String fixture, @TempDir Path dir) throws IOException {
        Path setup = asSetupExe(dir, Files.readAllBytes(NSIS.resolve(fixture)));

        Report report = scan(setup);

        String dll = setup + "!$INSTDIR/d3dcompiler_47.dll";
        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("signature.appended-data"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.path()).isEqualTo(dll);
                    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
                });
        assertThat(report.findings()).noneMatch(f -> f.code().startsWith("archive."));
        assertThat(report.verdict()).isEqualTo(Verdict.BLOCK);
        FileRecord installer = report.files().stream()
                .filter(f -> f.path().equals(setup.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(installer.type()).isEqualTo(FileType.NSIS);
        assertThat(report.files()).extracting(FileRecord::path).contains(setup + "!$INSTDIR/orbit.dll");
    }

    @Test
    void blocksAnElectronBuilderInstallerThroughItsInnerApp7z(@TempDir Path dir) throws IOException {
        Path setup = asSetupExe(dir, Files.readAllBytes(NSIS.resolve("electron.exe")));

        Report report = scan(setup);

        String archive = setup + "!$PLUGINSDIR/app-64.7z";
        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("signature.appended-data"))
                .extracting(Finding::path)
                .containsExactly(archive + "!d3dcompiler_47.dll");
        assertThat(report.files())
                .extracting(FileRecord::path)
                .contains(archive, archive + "!orbit.dll", setup + "!nsis-data/uninstaller");
        assertThat(report.verdict()).isEqualTo(Verdict.BLOCK);
    }

    /**
     * At 7-Zip level 9 (electron-builder's "maximum") executables are stored with BCJ2, which the 7z reader does not
     * decode: the DLL inside is not vetted, and the report says so on the inner archive.
     */
    @Test
    void reportsAnInnerApp7zWhoseBcj2StreamsCannotBeDecoded(@TempDir Path dir) throws Exception {
        Path setup = asSetupExe(dir, Files.readAllBytes(NSIS.resolve("electron-bcj2.exe")));

        Report report = scan(setup);

        String archive = setup + "!$PLUGINSDIR/app-64.7z";
        assertThat(report.findings())
                .filteredOn(f -> f.code().startsWith("archive."))
                .singleElement()
                .satisfies(f -> assertThat(f.path()).isEqualTo(archive));
        assertThat(report.files()).extracting(FileRecord::path).doesNotContain(archive + "!d3dcompiler_47.dll");
        // Fail closed: what was not decoded holds the release under the default policy.
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
        assertThat(scan(setup, PolicyLoader.parse(ARCHIVE_HIGH, "test")).verdict())
                .isEqualTo(Verdict.HOLD);
    }

    @Test
    void stillVerifiesTheSignatureOfTheInstallerItself(@TempDir Path dir) throws IOException {
        Path setup = asSetupExe(dir, Files.readAllBytes(NSIS.resolve("lzma-solid-signed.exe")));

        Report report = scan(setup);

        FileRecord installer = report.files().stream()
                .filter(f -> f.path().equals(setup.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(installer.signatures()).singleElement().satisfies(s -> assertThat(s.status())
                .isEqualTo(SignatureStatus.VALID));
    }

    /**
     * The default policy holds on high findings only, and the engine rates every {@code archive.*} problem but bombs
     * and traversal medium: a damaged or unreadable installer is reported, and held under a policy that rates
     * {@code archive.*} high (as {@link Policy}'s own example does).
     */
    private static final String ARCHIVE_HIGH = "severities:\n  archive.*: high\n";

    @Test
    void reportsAndHoldsAnInstallerWhosePayloadIsCorrupted(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(NSIS.resolve("lzma-solid.exe"));
        bytes[bytes.length - 8000] ^= 0x40; // inside the solid LZMA stream
        Path setup = asSetupExe(dir, bytes);

        Report report = scan(setup);

        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("archive.truncated"))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.path()).isEqualTo(setup.toString()))
                .anySatisfy(f -> assertThat(f.message()).contains("fails its CRC-32"));
        assertThat(scan(setup, PolicyLoader.parse(ARCHIVE_HIGH, "test")).verdict())
                .isEqualTo(Verdict.HOLD);
    }

    @Test
    void reportsAndHoldsAnInstallerWhoseHeaderCannotBeDecoded(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(NSIS.resolve("lzma.exe"));
        int first = firstHeader(bytes);
        bytes[first + 28 + 4 + 20] ^= 0x55; // inside the compressed header
        Path setup = asSetupExe(dir, bytes);

        Report report = scan(setup);

        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("archive.truncated"))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("does not decode as zlib, bzip2 or lzma"));
        assertThat(report.files()).extracting(FileRecord::path).containsExactly(setup.toString());
        assertThat(scan(setup, PolicyLoader.parse(ARCHIVE_HIGH, "test")).verdict())
                .isEqualTo(Verdict.HOLD);
    }

    @Test
    void holdsAnInstallerWhosePayloadIsCorruptedUnderTheDefaultPolicy(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(NSIS.resolve("lzma-solid.exe"));
        bytes[bytes.length - 8000] ^= 0x40;

        assertThat(scan(asSetupExe(dir, bytes)).verdict()).isEqualTo(Verdict.HOLD);
    }

    private static int firstHeader(byte[] bytes) {
        for (int at = 0; at + 28 <= bytes.length; at += 512) {
            if (java.nio.ByteBuffer.wrap(bytes)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .getInt(at + 4)
                    == 0xDEADBEEF) {
                return at;
            }
        }
        throw new AssertionError("no NSIS first header");
    }
}
