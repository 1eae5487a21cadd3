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

/**
 * A signed MSI with bytes after its compound-file structure (CVE-2020-1464, "GlueBall"): reported, and the appended
 * bytes vetted as a file of their own (fixtures/failclosed/signed-glueball.msi: signed.msi + the SigFlip DLL).
 */
class GlueBallTest {

    private static final Path FIXTURES = Path.of("..", "fixtures");

    private static Report scan(Path file) throws IOException {
        List<java.security.cert.X509Certificate> roots = new java.util.ArrayList<>();
        roots.addAll(TrustAnchors.readPem(FIXTURES.resolve("pki/root.pem")));
        roots.addAll(TrustAnchors.readPem(FIXTURES.resolve("archive/pki/ca.pem")));
        TrustAnchors trust = TrustAnchors.of(roots);
        ScanOptions options =
                ScanOptions.defaults().withTrust(trust).withThreads(1).withCache(ScanCache.none());
        return ScanEngine.create(options).scan(List.of(file));
    }

    @Test
    void bytesAppendedToASignedMsiAreReportedAndVetted() throws IOException {
        Report report = scan(FIXTURES.resolve("failclosed/signed-glueball.msi"));

        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("msi.appended-data"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                    assertThat(f.evidence()).containsEntry("bytes", 33_256L);
                });
        assertThat(report.files()).extracting(FileRecord::path).anyMatch(p -> p.endsWith("![appended data]"));
        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("signature.appended-data"))
                .extracting(Finding::path)
                .anyMatch(p -> p.endsWith("signed-glueball.msi![appended data]"));
        assertThat(report.verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void theSamePackageWithoutTheAppendedBytesHasNoSuchFinding() throws IOException {
        Report report = scan(FIXTURES.resolve("archive/signed.msi"));

        assertThat(report.findings()).extracting(Finding::code).doesNotContain("msi.appended-data");
    }
}
