package dev.tollgate.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.model.ChangeKind;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Hashes;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.PeSummary;
import dev.tollgate.model.SectionInfo;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseDiffTest {

    private static final SignatureInfo VENDOR = signature("CN=Orbit Telecom Ltd", "CN=Test CA", "aa");
    private static final SignatureInfo RENEWED = signature("CN=Orbit Telecom Ltd", "CN=Test CA", "bb");
    private static final SignatureInfo LOOKALIKE = signature("CN=Orbit Telecom Ltd", "CN=Lookalike Root", "cc");

    @Test
    void matchesFilesByPathInsideTheRelease() {
        List<FileRecord> old = report(file("rel-1/app.dll", 'a', 1000), file("rel-1/data.bin", 'b', 10));
        List<FileRecord> now = report(file("rel-2/app.dll", 'a', 1000), file("rel-2/data.bin", 'c', 12));

        ReleaseDiff diff = ReleaseDiff.compare(old, List.of("rel-1"), now, List.of("rel-2"));

        assertThat(diff.changes())
                .extracting(c -> c.key() + "=" + c.kind())
                .containsExactly("app.dll=UNCHANGED", "data.bin=CHANGED");
        assertThat(diff.findings()).isEmpty();
    }

    @Test
    void matchesSingleFileReleasesWhateverTheirNames() {
        assertThat(ReleaseDiff.keyOf("orbit-1.2.3.msi", List.of("orbit-1.2.3.msi")))
                .isEmpty();
        assertThat(ReleaseDiff.keyOf("orbit-1.2.3.msi!bin/ffmpeg.dll", List.of("orbit-1.2.3.msi")))
                .isEqualTo("!bin/ffmpeg.dll");
        assertThat(ReleaseDiff.keyOf("dl/rel/a.dll", List.of("dl", "dl/rel/"))).isEqualTo("a.dll");
    }

    @Test
    void reportsMovesByContentHashNotAsAddAndRemove() {
        List<FileRecord> old = report(file("r1/old-name.dll", 'a', 100));
        List<FileRecord> now = report(file("r2/new-name.dll", 'a', 100), file("r2/extra.dll", 'd', 100));

        ReleaseDiff diff = ReleaseDiff.compare(old, List.of("r1"), now, List.of("r2"));

        assertThat(new dev.tollgate.model.DiffSection(List.of("r1"), diff.changes()).counts())
                .containsEntry(ChangeKind.MOVED, 1L)
                .containsEntry(ChangeKind.ADDED, 1L)
                .containsEntry(ChangeKind.REMOVED, 0L);
        assertThat(codes(diff)).containsExactly("diff.file-added");
        assertThat(diff.findings().getFirst().severity()).isEqualTo(Severity.LOW);
    }

    @Test
    void ranksNewExecutablesAboveNewDataFiles() {
        List<FileRecord> old = report();
        FileRecord exe = file("r2/a.dll", 'a', 10);
        FileRecord data = withType(file("r2/b.txt", 'b', 10), FileType.TEXT);
        ReleaseDiff diff = ReleaseDiff.compare(old, List.of("r1"), report(exe, data), List.of("r2"));

        assertThat(diff.findings())
                .extracting(Finding::path, Finding::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("r2/a.dll", Severity.LOW),
                        org.assertj.core.groups.Tuple.tuple("r2/b.txt", Severity.INFO));
    }

    @Test
    void flagsContentChangedWhileVersionStayedThe3cxPattern() {
        FileRecord before = withPe(file("r1/d3dcompiler_47.dll", 'a', 4_000_000), pe("10.0.20348.1", List.of()));
        FileRecord after = withPe(file("r2/d3dcompiler_47.dll", 'b', 4_016_384), pe("10.0.20348.1", List.of()));

        ReleaseDiff diff = ReleaseDiff.compare(report(before), List.of("r1"), report(after), List.of("r2"));

        Finding f = only(diff, "diff.modified-same-version");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.message()).contains("+16384 bytes").contains("10.0.20348.1");
        assertThat(f.evidence()).containsEntry("newSize", 4_016_384L);
    }

    @Test
    void aVersionBumpIsNotSameVersion() {
        FileRecord before = withPe(file("r1/a.dll", 'a', 100), pe("1.2.3.4", List.of()));
        FileRecord after = withPe(file("r2/a.dll", 'b', 100), pe("1.2.4.0", List.of()));

        assertThat(codes(ReleaseDiff.compare(report(before), List.of("r1"), report(after), List.of("r2"))))
                .isEmpty();
    }

    @Test
    void flagsSecurityRelevantNewImportsWithTheirCapabilities() {
        FileRecord before = withPe(file("r1/ffmpeg.dll", 'a', 100), pe("5.0", List.of("msvcrt.dll!memcpy")));
        FileRecord after = withPe(
                file("r2/ffmpeg.dll", 'b', 100),
                pe(
                        "5.1",
                        List.of(
                                "msvcrt.dll!memcpy",
                                "KERNEL32.dll!CreateFileW",
                                "KERNEL32.dll!VirtualProtect",
                                "KERNEL32.dll!GetModuleFileNameW")));

        Finding f = only(
                ReleaseDiff.compare(report(before), List.of("r1"), report(after), List.of("r2")), "diff.new-import");

        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.evidence().get("capabilities"))
                .isEqualTo(Map.of(
                        "file",
                        List.of("KERNEL32.dll!CreateFileW", "KERNEL32.dll!GetModuleFileNameW"),
                        "memory",
                        List.of("KERNEL32.dll!VirtualProtect")));
        assertThat(f.evidence().get("newDlls")).isEqualTo(List.of("kernel32.dll"));
    }

    @Test
    void harmlessNewImportsAreLow() {
        FileRecord before = withPe(file("r1/a.dll", 'a', 100), pe("1", List.of("msvcrt.dll!memcpy")));
        FileRecord after =
                withPe(file("r2/a.dll", 'b', 100), pe("2", List.of("msvcrt.dll!memcpy", "msvcrt.dll!strlen")));

        Finding f = only(
                ReleaseDiff.compare(report(before), List.of("r1"), report(after), List.of("r2")), "diff.new-import");
        assertThat(f.severity()).isEqualTo(Severity.LOW);
    }

    @Test
    void lookalikeSignerWithSameSubjectStandsOut() {
        FileRecord before = withSignature(file("r1/a.dll", 'a', 100), VENDOR);
        FileRecord after = withSignature(file("r2/a.dll", 'b', 100), LOOKALIKE);

        Finding f = only(
                ReleaseDiff.compare(report(before), List.of("r1"), report(after), List.of("r2")),
                "diff.signer-changed");

        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.message()).startsWith("lookalike signer").contains("CN=Lookalike Root");
        assertThat(f.evidence()).containsEntry("sameSubject", true).containsEntry("sameIssuer", false);
    }

    @Test
    void certificateRenewalBySameIssuerIsMedium() {
        FileRecord before = withSignature(file("r1/a.dll", 'a', 100), VENDOR);
        FileRecord after = withSignature(file("r2/a.dll", 'b', 100), RENEWED);

        Finding f = only(
                ReleaseDiff.compare(report(before), List.of("r1"), report(after), List.of("r2")),
                "diff.signer-changed");
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void signedFileThatBecameUnsignedIsHigh() {
        FileRecord before = withSignature(file("r1/a.dll", 'a', 100), VENDOR);
        FileRecord after = file("r2/a.dll", 'b', 100);

        Finding f = only(
                ReleaseDiff.compare(report(before), List.of("r1"), report(after), List.of("r2")),
                "diff.signer-changed");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.message()).contains("now unsigned");
    }

    @Test
    void newHostAnywhereInTheReleaseIsANewNetworkIndicator() {
        FileRecord config1 = withIndicators(
                withType(file("r1/config.json", 'a', 100), FileType.TEXT),
                new NetworkIndicators(List.of("https://update.orbit.com/v1"), List.of("update.orbit.com"), List.of()));
        FileRecord other1 = withIndicators(
                file("r1/b.dll", 'c', 100), new NetworkIndicators(List.of(), List.of("cdn.orbit.com"), List.of()));
        FileRecord config2 = withIndicators(
                withType(file("r2/config.json", 'b', 100), FileType.TEXT),
                new NetworkIndicators(
                        List.of("https://update.orbit.com/v1"),
                        List.of("cdn.orbit.com", "update.orbit.com", "evil.example.net"),
                        List.of("203.0.113.7")));

        Finding f = only(
                ReleaseDiff.compare(report(config1, other1), List.of("r1"), report(config2), List.of("r2")),
                "diff.new-network-indicator");

        assertThat(f.path()).isEqualTo("r2/config.json");
        assertThat(f.evidence())
                .containsEntry("domains", List.of("evil.example.net"))
                .containsEntry("ips", List.of("203.0.113.7"))
                .containsEntry("urls", List.of());
    }

    // Issue 4: bcprov-jdk18on 1.82 was timestamped through a new DigiCert TSA intermediate.
    @Test
    void newCertificateEndpointsInAJarSignatureBlockAreLow() {
        String crt = "http://cacerts.digicert.com/DigiCertTrustedG4TimeStampingRSA4096SHA2562025CA1.crt";
        FileRecord block1 = withIndicators(
                file("bcprov-1.81.jar!META-INF/BC2048KE.DSA", 'a', 100),
                new NetworkIndicators(List.of(), List.of("cacerts.digicert.com"), List.of()));
        FileRecord block2 = withIndicators(
                file("bcprov-1.82.jar!META-INF/BC2048KE.DSA", 'b', 100),
                new NetworkIndicators(List.of(crt), List.of("cacerts.digicert.com"), List.of()));
        FileRecord classFile = withIndicators(
                file("bcprov-1.82.jar!META-INF/versions/9/Foo.DSA", 'c', 100),
                new NetworkIndicators(List.of("https://evil.example.net/x"), List.of(), List.of()));

        ReleaseDiff diff = ReleaseDiff.compare(
                report(block1), List.of("bcprov-1.81.jar"), report(block2, classFile), List.of("bcprov-1.82.jar"));

        assertThat(diff.findings())
                .filteredOn(f -> f.code().equals("diff.new-network-indicator"))
                .extracting(Finding::path, Finding::severity)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("bcprov-1.82.jar!META-INF/BC2048KE.DSA", Severity.LOW),
                        org.assertj.core.groups.Tuple.tuple(
                                "bcprov-1.82.jar!META-INF/versions/9/Foo.DSA", Severity.MEDIUM));
    }

    @Test
    void flagsNewExecutableSectionAndEntropyJump() {
        PeSummary a = new PeSummary(
                "amd64",
                true,
                true,
                1_700_000_000L,
                List.of(section(".text", true, 6.1), section(".data", false, 3.0)),
                List.of(),
                List.of(),
                Map.of(),
                0);
        PeSummary b = new PeSummary(
                "amd64",
                true,
                true,
                1_700_000_100L,
                List.of(section(".text", true, 7.9), section(".data", true, 3.0), section(".stub", true, 7.5)),
                List.of(),
                List.of(),
                Map.of(),
                0);

        ReleaseDiff diff = ReleaseDiff.compare(
                report(withPe(file("r1/a.dll", 'a', 100), a)),
                List.of("r1"),
                report(withPe(file("r2/a.dll", 'b', 100), b)),
                List.of("r2"));

        assertThat(codes(diff))
                .containsExactlyInAnyOrder("diff.section-entropy", "diff.new-executable-section", "diff.new-section");
    }

    @Test
    void flagsBuildTimestampOlderThanThePreviousRelease() {
        PeSummary a = new PeSummary("amd64", true, true, 1_700_000_000L, List.of(), List.of(), List.of(), Map.of(), 0);
        PeSummary b = new PeSummary("amd64", true, true, 1_600_000_000L, List.of(), List.of(), List.of(), Map.of(), 0);
        PeSummary reproducible = new PeSummary("amd64", true, true, 0, List.of(), List.of(), List.of(), Map.of(), 0);

        assertThat(codes(ReleaseDiff.compare(
                        report(withPe(file("r1/a.dll", 'a', 1), a)),
                        List.of("r1"),
                        report(withPe(file("r2/a.dll", 'b', 1), b)),
                        List.of("r2"))))
                .containsExactly("diff.timestamp-regressed");
        assertThat(codes(ReleaseDiff.compare(
                        report(withPe(file("r1/a.dll", 'a', 1), a)),
                        List.of("r1"),
                        report(withPe(file("r2/a.dll", 'b', 1), reproducible)),
                        List.of("r2"))))
                .isEmpty();
    }

    @Test
    void flagsAFileThatGrewFarBeyondTheReleaseNorm() {
        List<FileRecord> old = new ArrayList<>();
        List<FileRecord> now = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            old.add(file("r1/lib" + i + ".dll", (char) ('0' + i), 1_000_000));
            now.add(file("r2/lib" + i + ".dll", (char) ('5' + i), 1_010_000));
        }
        old.add(file("r1/codec.dll", 'e', 1_000_000));
        now.add(file("r2/codec.dll", 'f', 1_400_000));

        ReleaseDiff diff = ReleaseDiff.compare(
                report(old.toArray(FileRecord[]::new)),
                List.of("r1"),
                report(now.toArray(FileRecord[]::new)),
                List.of("r2"));

        Finding f = only(diff, "diff.size-outlier");
        assertThat(f.path()).isEqualTo("r2/codec.dll");
    }

    @Test
    void flagsAChangedFileThatNewlyNamesASiblingItDoesNotImport() {
        FileRecord sibling1 = file("r1/d3dcompiler_47.dll", 'c', 100);
        FileRecord sibling2 = file("r2/d3dcompiler_47.dll", 'c', 100);
        FileRecord ffmpeg1 = withNames(
                withPe(file("r1/ffmpeg.dll", 'a', 100), pe("5.0", List.of("KERNEL32.dll!GetProcAddress"))),
                List.of("kernel32.dll"));
        FileRecord ffmpeg2 = withNames(
                withPe(file("r2/ffmpeg.dll", 'b', 100), pe("5.1", List.of("KERNEL32.dll!GetProcAddress"))),
                List.of("d3dcompiler_47.dll", "ffmpeg.dll", "kernel32.dll", "not-in-release.dll"));

        Finding f = only(
                ReleaseDiff.compare(report(ffmpeg1, sibling1), List.of("r1"), report(ffmpeg2, sibling2), List.of("r2")),
                "diff.new-sibling-reference");

        assertThat(f.path()).isEqualTo("r2/ffmpeg.dll");
        assertThat(f.evidence()).containsEntry("files", List.of("d3dcompiler_47.dll"));
    }

    @Test
    void importingASiblingIsNotASiblingReference() {
        FileRecord lib1 = file("r1/libcodec.dll", 'c', 100);
        FileRecord lib2 = file("r2/libcodec.dll", 'c', 100);
        FileRecord app1 = withPe(file("r1/app.exe", 'a', 100), pe("1", List.of()));
        FileRecord app2 = withNames(
                withPe(file("r2/app.exe", 'b', 100), pe("2", List.of("libcodec.dll!decode"))), List.of("libcodec.dll"));

        assertThat(codes(ReleaseDiff.compare(report(app1, lib1), List.of("r1"), report(app2, lib2), List.of("r2"))))
                .doesNotContain("diff.new-sibling-reference");
    }

    private static FileRecord withNames(FileRecord f, List<String> names) {
        return f.withReferencedFiles(names);
    }

    private static Finding only(ReleaseDiff diff, String code) {
        List<Finding> matching =
                diff.findings().stream().filter(f -> f.code().equals(code)).toList();
        assertThat(matching)
                .as("findings with code %s in %s", code, diff.findings())
                .hasSize(1);
        return matching.getFirst();
    }

    private static List<String> codes(ReleaseDiff diff) {
        return diff.findings().stream().map(Finding::code).toList();
    }

    private static List<FileRecord> report(FileRecord... files) {
        return List.of(files);
    }

    private static FileRecord file(String path, char fill, long size) {
        return new FileRecord(
                path,
                size,
                new Hashes(String.valueOf(fill).repeat(64), "0".repeat(40), "0".repeat(32)),
                FileType.PE,
                5.0,
                List.of(),
                NetworkIndicators.NONE,
                Optional.empty(),
                List.of(),
                List.of());
    }

    private static FileRecord withType(FileRecord f, FileType type) {
        return FileRecord.of(f.path(), f.size(), f.hashes(), type, f.entropy());
    }

    private static FileRecord withPe(FileRecord f, PeSummary pe) {
        return f.withPe(pe);
    }

    private static FileRecord withSignature(FileRecord f, SignatureInfo s) {
        return f.withSignatures(List.of(s));
    }

    private static FileRecord withIndicators(FileRecord f, NetworkIndicators n) {
        return f.withIndicators(n);
    }

    private static PeSummary pe(String version, List<String> imports) {
        return new PeSummary(
                "amd64",
                true,
                true,
                1_700_000_000L,
                List.of(),
                imports,
                List.of(),
                Map.of("FileVersion", version, "ProductVersion", version),
                0);
    }

    private static SectionInfo section(String name, boolean exec, double entropy) {
        return new SectionInfo(name, 4096, 4096, exec ? 0x60000020L : 0xC0000040L, exec, entropy);
    }

    private static SignatureInfo signature(String subject, String issuer, String thumbFill) {
        return new SignatureInfo(
                "authenticode",
                SignatureStatus.VALID,
                subject,
                issuer,
                "01",
                thumbFill.repeat(32),
                "SHA-256",
                Optional.empty(),
                Optional.empty(),
                0,
                List.of(),
                "",
                "");
    }
}
