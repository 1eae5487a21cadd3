package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.archive.Limits;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.NpmPackageRecord;
import dev.tollgate.model.Report;
import dev.tollgate.model.SignatureStatus;
import dev.tollgate.model.Verdict;
import dev.tollgate.signatures.TrustAnchors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scans of the archive fixtures (fixtures/archive, see its README) through the whole engine. */
class ContainerScanTest {

    private static final Path FIXTURES = Path.of("..", "fixtures", "archive");

    private static Report scan(String name) throws IOException {
        return scan(List.of(FIXTURES.resolve(name)), ScanOptions.defaults());
    }

    private static Report scan(List<Path> inputs, ScanOptions options) throws IOException {
        TrustAnchors trust = TrustAnchors.of(TrustAnchors.readPem(FIXTURES.resolve("pki/ca.pem")));
        return ScanEngine.create(options.withTrust(trust).withThreads(1)).scan(inputs);
    }

    private static List<String> codes(Report report) {
        return report.findings().stream().map(Finding::code).toList();
    }

    @Test
    void showsTheTamperedDllInsideASignedMsiUnderTheMsisPath() throws IOException {
        Report report = scan("signed-tampered-dll.msi");

        String dll = FIXTURES.resolve("signed-tampered-dll.msi").normalize()
                + "!ProgramFilesFolder/Orbit/Orbit Phone/d3dcompiler_47.dll";
        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("signature.appended-data"))
                .extracting(Finding::path)
                .contains(dll);
        assertThat(report.verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void vetsTheFilesOfAnLzxCabinet() throws IOException {
        Report report = scan("lzx.cab");

        String dll = FIXTURES.resolve("lzx.cab").normalize() + "!hello.dll";
        assertThat(codes(report)).noneMatch(c -> c.startsWith("archive."));
        FileRecord inner = report.files().stream()
                .filter(f -> f.path().equals(dll))
                .findFirst()
                .orElseThrow();
        assertThat(inner.type()).isEqualTo(FileType.PE);
        assertThat(inner.hashes().sha256()).isEqualTo(sha256(Files.readAllBytes(FIXTURES.resolve("hello.dll"))));
        assertThat(inner.signatures()).singleElement().satisfies(s -> assertThat(s.status())
                .isEqualTo(SignatureStatus.VALID));
        assertThat(report.files())
                .extracting(FileRecord::path)
                .contains(FIXTURES.resolve("lzx.cab").normalize() + "!readme.txt");
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void allowsACleanSignedMsiWithATrustedRootAndListsItsCustomAction() throws IOException {
        Report report = scan("signed.msi");

        assertThat(report.verdict()).isEqualTo(Verdict.ALLOW);
        FileRecord msi = report.files().stream()
                .filter(f -> f.type() == FileType.MSI)
                .findFirst()
                .orElseThrow();
        assertThat(msi.signatures()).singleElement().satisfies(s -> assertThat(s.status())
                .isEqualTo(SignatureStatus.VALID));
        assertThat(codes(report)).containsExactly("msi.custom-action");
        assertThat(report.files()).extracting(FileRecord::path).anyMatch(p -> p.endsWith("!Binary.SetupHelper"));
    }

    @Test
    void verifiesAnMsiSignedWithMsiDigitalSignatureEx() throws IOException {
        Report report = scan("signed-dse.msi");

        assertThat(report.files().getFirst().signatures()).singleElement().satisfies(s -> assertThat(s.status())
                .isEqualTo(SignatureStatus.VALID));
    }

    @Test
    void flagsAnMsiWhoseContentChangedAfterSigning(@TempDir Path dir) throws IOException {
        byte[] msi = Files.readAllBytes(FIXTURES.resolve("signed.msi"));
        // The DLL's bytes live in the embedded cabinet; flip one byte of the PE's DOS stub text in it.
        int at = indexOf(msi, "This program cannot be run in DOS mode".getBytes());
        assertThat(at).isPositive();
        msi[at] ^= 0x20;
        Path tampered = Files.write(dir.resolve("tampered.msi"), msi);

        Report report = scan(List.of(tampered), ScanOptions.defaults());

        assertThat(codes(report)).contains("signature.digest-mismatch");
        assertThat(report.verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard: speed is measured by the benchmarks
    void refusesTheTwoGibibyteZipBombQuickly() throws IOException {
        Report report = scan("bomb-2gib.zip");

        assertThat(codes(report)).containsExactly("archive.bomb");
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
    }

    @Test
    void reportsPathTraversalAndStillVetsTheEntries() throws IOException {
        Report report = scan("traversal.zip");

        assertThat(codes(report)).contains("archive.path-traversal", "archive.duplicate");
        assertThat(report.files()).extracting(FileRecord::path).anyMatch(p -> p.endsWith("traversal.zip!evil.txt"));
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
    }

    @Test
    void verifiesASignedJar() throws IOException {
        Report report = scan("signed.jar");

        assertThat(report.files().getFirst().signatures()).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo("jar");
            assertThat(s.status()).isEqualTo(SignatureStatus.VALID);
            assertThat(s.signer()).contains("CN=Tollgate Archive Test Signer");
        });
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void flagsAJarChangedAfterSigningAndItsUnsignedEntry() throws IOException {
        Report report = scan("tampered.jar");

        assertThat(codes(report)).contains("signature.digest-mismatch", "jar.unsigned-entry");
        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("jar.unsigned-entry"))
                .singleElement()
                .satisfies(
                        f -> assertThat(f.evidence().get("entries").toString()).contains("com/orbit/Added.txt"));
        assertThat(report.verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void unpacksNestedContainersWithOuterInnerPaths() throws IOException {
        Report report = scan("sample.deb");

        assertThat(report.files())
                .extracting(FileRecord::path, FileRecord::type)
                .contains(org.assertj.core.groups.Tuple.tuple(
                        FIXTURES.resolve("sample.deb").normalize() + "!data.tar.xz!usr/lib/orbit/hello.dll",
                        FileType.PE));
    }

    @Test
    void stopsNestingAtTheDepthLimit(@TempDir Path dir) throws IOException {
        byte[] nested = "innermost".getBytes();
        for (int i = 0; i < 5; i++) {
            nested = zip("level" + i + (i == 0 ? ".txt" : ".zip"), nested);
        }
        Path file = Files.write(dir.resolve("nested.zip"), nested);

        Report report = scan(
                List.of(file),
                ScanOptions.defaults().withLimits(Limits.defaults().withMaxDepth(3)));

        // Files at depths 0 to 3 are vetted (nested.zip, level3.zip, level2.zip, level1.zip); level1.zip, at depth 3,
        // is not opened.
        assertThat(codes(report)).containsExactly("archive.limit");
        assertThat(report.files()).hasSize(4);
    }

    // Issue 4: the compressed streams of a jar, a .tgz and a data.tar.xz gave ar.bg, 5y.hk, zji44.br as new domains.
    @Test
    void aContainerUnpackedInFullReportsItsMembersIndicatorsNotItsOwn(@TempDir Path dir) throws IOException {
        byte[] text = "updates from https://cdn.orbit-update.example.com/v1/check".getBytes();
        Path file = Files.write(dir.resolve("release.zip"), storedZip("README.txt", text));

        Report report = scan(List.of(file), ScanOptions.defaults());

        assertThat(record(report, "release.zip").indicators().isEmpty()).isTrue();
        assertThat(record(report, "release.zip!README.txt").indicators().domains())
                .containsExactly("cdn.orbit-update.example.com");
    }

    @Test
    void aContainerNotUnpackedInFullKeepsItsOwnIndicators(@TempDir Path dir) throws IOException {
        byte[] inner = storedZip("c2.txt", "beacon https://akamaicontainer.com/x".getBytes());
        Path file = Files.write(dir.resolve("outer.zip"), storedZip("inner.zip", inner));

        Report report = scan(
                List.of(file),
                ScanOptions.defaults().withLimits(Limits.defaults().withMaxDepth(1)));

        assertThat(codes(report)).containsExactly("archive.limit");
        assertThat(record(report, "outer.zip").indicators().isEmpty()).isTrue();
        assertThat(record(report, "outer.zip!inner.zip").indicators().domains()).containsExactly("akamaicontainer.com");
    }

    private static FileRecord record(Report report, String pathSuffix) {
        return report.files().stream()
                .filter(f -> f.path().endsWith("/" + pathSuffix))
                .findFirst()
                .orElseThrow();
    }

    private static byte[] storedZip(String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry(name);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setCrc(crc.getValue());
            z.putNextEntry(entry);
            z.write(content);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    void recordsTheNpmPackagesOfAnElectronAsarOnTheAsar() throws IOException {
        Report report = scan("sample.asar");
        String asar = FIXTURES.resolve("sample.asar").normalize().toString();

        FileRecord record = report.files().stream()
                .filter(f -> f.path().equals(asar))
                .findFirst()
                .orElseThrow();
        assertThat(record.npmPackages())
                .containsExactlyInAnyOrder(
                        new NpmPackageRecord("orbit-phone", "1.1.0", asar + "!package.json"),
                        new NpmPackageRecord("left-pad", "1.3.0", asar + "!node_modules/left-pad/package.json"));
        assertThat(report.files()).filteredOn(f -> !f.path().equals(asar)).allSatisfy(f -> assertThat(f.npmPackages())
                .isEmpty());
    }

    @Test
    void recordsNpmPackagesOfAnNpmTarballAndOfNodeModulesInAZipButNotOtherPackageJsonFiles(@TempDir Path dir)
            throws IOException {
        byte[] tarball = tarGz(Map.of(
                "package/package.json", "{\"name\":\"@orbit/sdk\",\"version\":\"2.0.1\"}",
                "package/test/fixture/package.json", "{\"name\":\"not-a-dependency\",\"version\":\"0.0.0\"}"));
        byte[] zip = zipOf(Map.of(
                "app/node_modules/@scope/util/package.json", "{\"name\":\"@scope/util\",\"version\":\"3.1.0\"}",
                "app/node_modules/ws/package.json", "{\"version\":\"8.0.0\",\"name\":\"ws\"}",
                "app/node_modules/ws/lib/package.json", "{\"name\":\"ws-lib\",\"version\":\"1\"}",
                "src/templates/package.json", "{\"name\":\"template\",\"version\":\"1.0.0\"}",
                "app/node_modules/broken/package.json", "{\"name\":\"broken\""));
        Path tgz = Files.write(dir.resolve("orbit-sdk-2.0.1.tgz"), tarball);
        Path app = Files.write(dir.resolve("app.zip"), zip);

        Report report = scan(List.of(tgz, app), ScanOptions.defaults());

        assertThat(report.files())
                .flatExtracting(FileRecord::npmPackages)
                .extracting(NpmPackageRecord::name, NpmPackageRecord::version, NpmPackageRecord::path)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "@orbit/sdk", "2.0.1", tgz.normalize() + "!package/package.json"),
                        org.assertj.core.groups.Tuple.tuple(
                                "@scope/util", "3.1.0", app.normalize() + "!app/node_modules/@scope/util/package.json"),
                        org.assertj.core.groups.Tuple.tuple(
                                "ws", "8.0.0", app.normalize() + "!app/node_modules/ws/package.json"));
    }

    /** Hostile package.json files: a megabyte name, an escape sequence, a bare array, deep nesting. */
    @Test
    void recordsNoNpmPackageFromAHostilePackageJson(@TempDir Path dir) throws IOException {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        byte[] zip = zipOf(Map.of(
                "node_modules/a/package.json", "{\"name\":\"" + "a".repeat(1 << 20) + "\",\"version\":\"1.0.0\"}",
                "node_modules/b/package.json", "{\"name\":\"b\\u001b[31m\",\"version\":\"1.0.0\"}",
                "node_modules/c/package.json", "[\"name\",\"version\"]",
                "node_modules/d/package.json", "{\"name\":\"d\",\"version\":\"1\",\"x\":" + deep + "}",
                "node_modules/e/package.json", "{\"name\":{\"x\":1},\"version\":\"1.0.0\"}"));
        Path app = Files.write(dir.resolve("app.zip"), zip);

        Report report = scan(List.of(app), ScanOptions.defaults());

        assertThat(report.files()).flatExtracting(FileRecord::npmPackages).isEmpty();
        assertThat(report.files()).hasSize(6);
    }

    private static byte[] zipOf(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(entries).entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] tarGz(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out);
                var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gz)) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(entries).entrySet()) {
                byte[] data = e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(e.getKey());
                entry.setSize(data.length);
                tar.putArchiveEntry(entry);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] zip(String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(content);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
