package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.model.Finding;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import dev.tollgate.model.Verdict;
import dev.tollgate.signatures.TrustAnchors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Debian package's md5sums is checked against its files (fixtures/failclosed/make-failclosed.sh). */
class DebMd5sumsTest {

    private static final Path FIXTURES = Path.of("..", "fixtures");

    private static Report scan(String name) throws IOException {
        TrustAnchors trust = TrustAnchors.of(TrustAnchors.readPem(FIXTURES.resolve("pki/root.pem")));
        ScanOptions options =
                ScanOptions.defaults().withTrust(trust).withThreads(1).withCache(ScanCache.none());
        return ScanEngine.create(options)
                .scan(List.of(FIXTURES.resolve("failclosed").resolve(name)));
    }

    @Test
    void aFileSwappedAfterTheBuildDoesNotMatchMd5sumsAndHoldsThePackage() throws IOException {
        Report report = scan("orbit-md5sums-mismatch.deb");

        assertThat(report.findings())
                .filteredOn(f -> f.code().equals("deb.md5sums-mismatch"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                    assertThat(f.path()).endsWith("orbit-md5sums-mismatch.deb!data.tar.xz!usr/lib/orbit/orbit.dll");
                    assertThat(f.evidence())
                            .containsEntry("file", "usr/lib/orbit/orbit.dll")
                            .containsEntry("claimed", "06528d7565c293ea688e0fc8971903cc");
                });
        assertThat(report.verdict()).isEqualTo(Verdict.HOLD);
    }

    @Test
    void aPackageThatHoldsWhatItsMd5sumsSaysIsAllowed() throws IOException {
        Report report = scan("orbit-md5sums-ok.deb");

        assertThat(report.findings()).extracting(Finding::code).doesNotContain("deb.md5sums-mismatch");
        assertThat(report.verdict()).isEqualTo(Verdict.ALLOW);
    }
}
