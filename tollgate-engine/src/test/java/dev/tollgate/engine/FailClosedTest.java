package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.analysis.FileAnalyzer;
import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.archive.Limits;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import dev.tollgate.model.Verdict;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.PolicyLoader;
import dev.tollgate.signatures.TrustAnchors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, "fail closed": the SigFlip DLL ({@code fixtures/pe/orbit-sigflip.dll}) hidden behind every hole where
 * vetting stops short. Whatever was not vetted in full holds the release under the default policy ({@code block} when
 * the DLL is reached anyway), never {@code allow}; and a policy may lower it per product, explicitly.
 */
class FailClosedTest {

    private static final Path FIXTURES = Path.of("..", "fixtures");
    private static final Path SIGFLIP = FIXTURES.resolve("pe/orbit-sigflip.dll");
    private static final Path CLEAN = FIXTURES.resolve("pe/orbit-signed.dll");

    @TempDir
    Path dir;

    private static ScanOptions options() throws IOException {
        TrustAnchors trust = TrustAnchors.of(TrustAnchors.readPem(FIXTURES.resolve("pki/root.pem")));
        return ScanOptions.defaults().withTrust(trust).withThreads(1).withCache(ScanCache.none());
    }

    private static Report scan(Path input, ScanOptions options) throws IOException {
        return ScanEngine.create(options).scan(List.of(input));
    }

    private static Report scan(Path input) throws IOException {
        return scan(input, options());
    }

    private static List<String> codes(Report report) {
        return report.findings().stream().map(Finding::code).toList();
    }

    private static Finding only(Report report, String code) {
        return report.findings().stream()
                .filter(f -> f.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " in " + codes(report)));
    }

    private static byte[] zip(String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** The DLL in a zip in a zip ... {@code levels} zips deep. */
    private Path nested(int levels) throws IOException {
        byte[] content = zip("d3dcompiler_47.dll", Files.readAllBytes(SIGFLIP));
        for (int i = 1; i < levels; i++) {
            content = zip("level" + i + ".zip", content);
        }
        return Files.write(dir.resolve("nested.zip"), content);
    }

    @Test
    void aZipDeeperThanMaxDepthHoldsTheRelease() throws IOException {
        Path zip = nested(Limits.defaults().maxDepth() + 1);

        Report report = scan(zip);

        Finding limit = only(report, "archive.limit");
        assertThat(limit.severity()).isEqualTo(Severity.HIGH);
        assertThat(limit.evidence()).containsEntry("limit", "maxDepth");
        assertThat(codes(report)).doesNotContain("signature.appended-data");
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
    }

    @Test
    void theSameZipWithinMaxDepthIsBlocked() throws IOException {
        Path zip = nested(Limits.defaults().maxDepth());

        assertThat(scan(zip).verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void aPolicyThatLowersArchiveLimitAllowsTheDeepZipAgain() throws Exception {
        Path zip = nested(Limits.defaults().maxDepth() + 1);
        Policy lenient = PolicyLoader.parse("severities:\n  archive.limit: medium\n", "vendor-policy.yaml");

        Report report = scan(zip, options().withPolicy(lenient));

        assertThat(only(report, "archive.limit").severity()).isEqualTo(Severity.MEDIUM);
        assertThat(report.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void theDllAfterTheEntryCountLimitHoldsTheRelease() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < 20; i++) {
                zip.putNextEntry(new ZipEntry("filler/" + i + ".txt"));
                zip.write(("filler " + i + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("d3dcompiler_47.dll"));
            zip.write(Files.readAllBytes(SIGFLIP));
            zip.closeEntry();
        }
        Path file = Files.write(dir.resolve("many.zip"), out.toByteArray());

        Report report = scan(file, options().withLimits(Limits.defaults().withMaxEntries(20)));

        assertThat(only(report, "archive.limit").evidence()).containsEntry("limit", "maxEntries");
        assertThat(codes(report)).doesNotContain("signature.appended-data");
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
    }

    @Test
    void aZstdWindowOver8MibHoldsTheRelease() throws IOException {
        // fixtures/failclosed/make-failclosed.sh: tar | zstd --long=27 (a 128 MiB window) and --long=31 (2 GiB).
        for (String name : List.of("sigflip-long27.tar.zst", "sigflip-long31.tar.zst")) {
            Report report = scan(FIXTURES.resolve("failclosed").resolve(name));

            Finding unsupported = only(report, "archive.unsupported");
            assertThat(unsupported.severity()).isEqualTo(Severity.HIGH);
            assertThat(unsupported.message()).contains("window of").doesNotContain("Exception", "airlift");
            assertThat(report.verdict()).as(name).isEqualTo(Verdict.HOLD);
        }
    }

    @Test
    void aZstdWindowAboveMaxZstdWindowIsRefusedAsALimit() throws IOException {
        Path file = FIXTURES.resolve("failclosed/sigflip-long27.tar.zst");

        Report report = scan(file, options().withLimits(Limits.defaults().withMaxZstdWindow(64L << 20)));

        Finding limit = only(report, "archive.limit");
        assertThat(limit.evidence()).containsEntry("limit", "maxZstdWindow").containsEntry("window", 134_217_728L);
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
    }

    @Test
    void anAsarNodeWithABadOffsetIsReportedAndTheRestIsVetted() throws IOException {
        Report report = scan(FIXTURES.resolve("failclosed/sigflip-bad-offset.asar"));

        Finding truncated = only(report, "archive.truncated");
        assertThat(truncated.severity()).isEqualTo(Severity.HIGH);
        assertThat(truncated.evidence()).containsEntry("entry", "broken.bin");
        assertThat(report.files()).extracting(FileRecord::path).anyMatch(p -> p.endsWith("!readme.txt"));
        assertThat(report.verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void aZip64LocatorOutsideTheFileIsATypedProblemWithoutExceptionText() throws IOException {
        Report report = scan(FIXTURES.resolve("failclosed/sigflip-zip64-locator.zip"));

        Finding truncated = only(report, "archive.truncated");
        assertThat(truncated.message())
                .contains("zip64 end of central directory locator")
                .doesNotContain("Exception", "negative position");
        assertThat(report.verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void anUnreadableFileHoldsTheRelease() throws IOException {
        Path release = Files.createDirectories(dir.resolve("release"));
        Path dll = Files.copy(SIGFLIP, release.resolve("d3dcompiler_47.dll"));
        AtomicBoolean listed = new AtomicBoolean();
        // Listed, then unreadable when its turn comes: gone (root reads through any permission bits).
        ScanProgress vanish = (filesDone, filesTotal, bytesDone, bytesTotal) -> {
            if (filesTotal > 0 && listed.compareAndSet(false, true)) {
                try {
                    Files.move(dll, dir.resolve("elsewhere.dll"), StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };

        Report report = scan(release, options().withProgress(vanish));

        assertThat(only(report, "file.unreadable").severity()).isEqualTo(Severity.HIGH);
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
    }

    @Test
    void aFileThatChangesWhileItIsReadHoldsTheRelease() throws IOException {
        Path release = Files.createDirectories(dir.resolve("release"));
        Path dll = Files.copy(CLEAN, release.resolve("d3dcompiler_47.dll"));
        byte[] sigflip = Files.readAllBytes(SIGFLIP);
        AtomicBoolean swapped = new AtomicBoolean();
        // The clean DLL is read; while it is being vetted, the SigFlip DLL is written over it.
        FileAnalyzer writer = new FileAnalyzer() {
            @Override
            public String name() {
                return "writer";
            }

            @Override
            public List<Finding> analyze(FileRecord file, ByteView content) {
                if (swapped.compareAndSet(false, true)) {
                    try {
                        Files.write(dll, sigflip);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return List.of();
            }
        };

        Report report = scan(release, options().withAnalyzers(List.of(writer)));

        Finding changed = only(report, "file.unreadable");
        assertThat(changed.message()).contains("changed while it was being read");
        assertThat(changed.severity()).isEqualTo(Severity.HIGH);
        assertThat(report.verdict()).isNotEqualTo(Verdict.ALLOW);
    }

    @Test
    void anEmptyReleaseHoldsIt() throws IOException {
        Path release = Files.createDirectories(dir.resolve("empty"));

        Report report = scan(release);

        assertThat(only(report, "release.empty").severity()).isEqualTo(Severity.HIGH);
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
    }

    @Test
    void aReleaseOfOnlyALinkToTheDllHoldsIt() throws IOException {
        Path release = Files.createDirectories(dir.resolve("links"));
        Files.createSymbolicLink(release.resolve("d3dcompiler_47.dll"), SIGFLIP.toAbsolutePath());

        Report report = scan(release);

        assertThat(codes(report)).contains("file.skipped", "release.empty");
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
    }
}
