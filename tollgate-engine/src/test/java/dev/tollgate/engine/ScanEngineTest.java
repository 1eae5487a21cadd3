package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.analysis.AnalysisException;
import dev.tollgate.analysis.FileAnalyzer;
import dev.tollgate.formats.ByteView;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import dev.tollgate.model.Verdict;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.PolicyException;
import dev.tollgate.policy.PolicyLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanEngineTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    @Test
    void walksDirectoriesAndSortsFilesByPath() throws IOException {
        write("b/two.txt", "second file");
        write("a/one.txt", "first file");
        write("c.bin", "\u0000\u0001\u0002");

        Report report = ScanEngine.create(ScanOptions.defaults().withThreads(2)).scan(List.of(dir));

        assertThat(report.files())
                .extracting(FileRecord::path)
                .containsExactly(dir + "/a/one.txt", dir + "/b/two.txt", dir + "/c.bin");
        assertThat(report.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(report.toolVersion()).isNotBlank();
    }

    @Test
    void reportsSymbolicLinksInsideDirectoriesAsSkipped() throws IOException {
        Path target = write("real.txt", "hello world");
        Files.createSymbolicLink(dir.resolve("link.txt"), target);
        Files.createSymbolicLink(dir.resolve("loop"), dir);

        Report report = ScanEngine.create(ScanOptions.defaults()).scan(List.of(dir));

        assertThat(report.files()).extracting(FileRecord::path).containsExactly(dir + "/real.txt");
        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("file.skipped"))
                .extracting(Finding::path)
                .containsExactlyInAnyOrder(dir + "/link.txt", dir + "/loop");
    }

    @Test
    void followsASymbolicLinkNamedAsAnInput() throws IOException {
        Path target = write("real.txt", "hello world");
        Path link = Files.createSymbolicLink(dir.resolve("named-link"), target);

        Report report = ScanEngine.create(ScanOptions.defaults()).scan(List.of(link));

        assertThat(report.files()).extracting(FileRecord::path).containsExactly(link.toString());
    }

    @Test
    void missingInputIsAnErrorBeforeAnythingIsScanned() throws IOException {
        Path present = write("a.txt", "x");
        List<Integer> progress = new CopyOnWriteArrayList<>();
        ScanEngine engine = ScanEngine.create(
                ScanOptions.defaults().withProgress((done, total, bytes, totalBytes) -> progress.add(done)));

        assertThatThrownBy(() -> engine.scan(List.of(present, dir.resolve("missing.dll"))))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("missing.dll");
        assertThat(progress).isEmpty();
    }

    @Test
    void unreadableFileIsAFindingNamingTheReason() throws IOException {
        Path secret = write("secret.dll", "MZ");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(
                Files.isReadable(secret), "running as root: permissions do not stop reads");

        Report report = ScanEngine.create(ScanOptions.defaults()).scan(List.of(dir));

        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("file.unreadable");
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.message()).contains("secret.dll", "permission denied");
        });
    }

    @Test
    void duplicateInputsAreVettedOnce() throws IOException {
        Path a = write("a.txt", "alpha");
        Report report = ScanEngine.create(ScanOptions.defaults()).scan(List.of(a, a, dir));
        assertThat(report.files()).hasSize(1);
    }

    @Test
    void emptyFileIsProfiled() throws IOException {
        Path empty = write("empty.dll", "");
        Report report = ScanEngine.create(ScanOptions.defaults()).scan(List.of(empty));
        assertThat(report.files()).singleElement().satisfies(f -> {
            assertThat(f.size()).isZero();
            assertThat(f.type()).isEqualTo(FileType.EMPTY);
        });
    }

    @Test
    void analyzerFailureBecomesAHighFindingThatHolds() throws IOException {
        write("a.txt", "alpha");
        FileAnalyzer broken = new FileAnalyzer() {
            @Override
            public String name() {
                return "intel";
            }

            @Override
            public List<Finding> analyze(FileRecord file, ByteView content) throws AnalysisException {
                throw new AnalysisException("feed file is corrupt");
            }
        };

        Report report = ScanEngine.create(ScanOptions.defaults().withAnalyzers(List.of(broken)))
                .scan(List.of(dir));

        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("analysis.failed");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.message()).contains("intel", "feed file is corrupt");
            assertThat(f.evidence()).containsEntry("analyzer", "intel");
        });
        assertThat(report.reasons()).singleElement().asString().startsWith("hold: analysis.failed (high)");
    }

    @Test
    void analyzerCrashIsContainedToo() throws IOException {
        write("a.txt", "alpha");
        FileAnalyzer crashing = new FileAnalyzer() {
            @Override
            public String name() {
                return "yara";
            }

            @Override
            public List<Finding> analyze(FileRecord file, ByteView content) {
                throw new IllegalStateException("boom");
            }
        };

        Report report = ScanEngine.create(ScanOptions.defaults().withAnalyzers(List.of(crashing)))
                .scan(List.of(dir));

        assertThat(report.findings()).singleElement().extracting(Finding::code).isEqualTo("analysis.failed");
    }

    @Test
    void analyzersSeeTheProfileAndTheBytesAndTheirFindingsGoThroughThePolicy() throws IOException, PolicyException {
        write("a.txt", "connect to https://c2.example.net/x");
        List<String> seen = new CopyOnWriteArrayList<>();
        FileAnalyzer intel = new FileAnalyzer() {
            @Override
            public String name() {
                return "intel";
            }

            @Override
            public List<Finding> analyze(FileRecord file, ByteView content) {
                seen.add(file.hashes().sha256() + " " + content.size());
                List<Finding> out = new ArrayList<>();
                for (String domain : file.indicators().domains()) {
                    out.add(new Finding("intel.domain", Severity.CRITICAL, file.path(), domain, Map.of()));
                }
                return out;
            }
        };
        Policy lenient = PolicyLoader.parse("severities:\n  intel.*: high\n", "test");

        Report report = ScanEngine.create(
                        ScanOptions.defaults().withAnalyzers(List.of(intel)).withPolicy(lenient))
                .scan(List.of(dir));

        assertThat(seen).hasSize(1);
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
        assertThat(report.findings()).extracting(Finding::severity).containsExactly(Severity.HIGH);
    }

    @Test
    void reportsProgressForEveryFile() throws IOException {
        for (int i = 0; i < 10; i++) {
            write("f" + i + ".txt", "x".repeat(i));
        }
        List<String> updates = new CopyOnWriteArrayList<>();

        ScanEngine.create(ScanOptions.defaults()
                        .withThreads(3)
                        .withProgress((done, total, bytes, totalBytes) ->
                                updates.add(done + "/" + total + " " + bytes + "/" + totalBytes)))
                .scan(List.of(dir));

        assertThat(updates).hasSize(11).startsWith("0/10 0/45").endsWith("10/10 45/45");
    }

    @Test
    void vetGivesARecordForInMemoryContent() {
        VetResult result = ScanEngine.create(ScanOptions.defaults())
                .vet("outer.zip!inner.txt", ByteView.of("see http://example.org".getBytes(StandardCharsets.US_ASCII)));

        assertThat(result.files()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("outer.zip!inner.txt");
            assertThat(f.indicators().urls()).containsExactly("http://example.org");
        });
    }
}
