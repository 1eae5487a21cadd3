package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import dev.tollgate.model.Verdict;
import dev.tollgate.signatures.TrustAnchors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An asar's per-file integrity hashes are checked (fixtures/failclosed/make-failclosed.sh). */
class AsarIntegrityTest {

    private static final Path FIXTURES = Path.of("..", "fixtures");

    private static Report scan(String name) throws IOException {
        TrustAnchors trust = TrustAnchors.of(TrustAnchors.readPem(FIXTURES.resolve("pki/root.pem")));
        ScanOptions options =
                ScanOptions.defaults().withTrust(trust).withThreads(1).withCache(ScanCache.none());
        return ScanEngine.create(options)
                .scan(List.of(FIXTURES.resolve("failclosed").resolve(name)));
    }

    @Test
    void aFileSwappedAfterPackingDoesNotMatchItsIntegrityAndHoldsTheApp() throws IOException {
        Report report = scan("integrity-mismatch.asar");

        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("archive.integrity-mismatch"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                    assertThat(f.evidence()).containsEntry("entry", "orbit.dll");
                });
        assertThat(report.files()).extracting(FileRecord::path).anyMatch(p -> p.endsWith("!orbit.dll"));
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
    }

    @Test
    void anAppThatHoldsWhatItsIntegrityClaimsIsAllowed() throws IOException {
        Report report = scan("integrity-ok.asar");

        assertThat(report.findings()).extracting(Finding::code).doesNotContain("archive.integrity-mismatch");
        assertThat(report.verdict()).isEqualTo(Verdict.ALLOW);
    }
}
