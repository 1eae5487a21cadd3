package dev.tollgate.formats.pe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tollgate.formats.ByteView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser against the repository's signed and tampered fixtures ({@code fixtures/README.md}: mingw DLLs signed by
 * osslsigncode 2.9, and Debian's Microsoft-signed shim). The Authenticode digest is checked against the digest each
 * signature carries in its SpcIndirectDataContent, which osslsigncode verified for the files it calls valid.
 */
class PeFileFixturesTest {

    private static final Path FIXTURES =
            Path.of(System.getProperty("basedir", ".")).resolve("../fixtures").normalize();

    private static PeFile fixture(String name) throws IOException, PeFormatException {
        return PeFile.parse(ByteView.of(bytes(name)));
    }

    private static byte[] bytes(String name) throws IOException {
        Path file = FIXTURES.resolve(name);
        assumeThat(file).as("fixture %s (merge branch fixtures)", name).exists();
        return Files.readAllBytes(file);
    }

    static Stream<String> allFixtures() throws IOException {
        if (!Files.isDirectory(FIXTURES.resolve("pe"))) {
            return Stream.of("pe/orbit.dll"); // skipped by the assumption in bytes()
        }
        try (Stream<Path> files = Files.list(FIXTURES.resolve("pe"))) {
            return Stream.concat(
                    files.map(p -> "pe/" + p.getFileName()).sorted().toList().stream(),
                    Stream.of("efi/shimx64.efi.signed"));
        }
    }

    @ParameterizedTest
    @MethodSource("allFixtures")
    void everyFixtureParsesOrFailsWithPeFormatException(String name) throws Exception {
        byte[] data = bytes(name);
        try {
            PeFile pe = PeFile.parse(ByteView.of(data));
            PeFileFuzzTest.PeInvariants.check(pe, data.length);
        } catch (PeFormatException expected) {
            assertThat(name).isIn("pe/empty.dll", "pe/garbage.dll", "pe/orbit-truncated-headers.dll");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pe/empty.dll", "pe/garbage.dll", "pe/orbit-truncated-headers.dll"})
    void rejectsFilesThatAreNotPe(String name) throws Exception {
        byte[] data = bytes(name);
        assertThatThrownBy(() -> PeFile.parse(ByteView.of(data))).isInstanceOf(PeFormatException.class);
    }

    static Stream<Arguments> signedFixtures() {
        return Stream.of(
                        "pe/orbit-signed.dll",
                        "pe/orbit-signed-sha1.dll",
                        "pe/orbit-signed-sha384.dll",
                        "pe/orbit-signed-sha512.dll",
                        "pe/orbit-signed.exe",
                        "pe/orbit32-signed.dll",
                        "pe/orbit-1.2.4-signed.dll",
                        "pe/orbit-dual-signed.dll",
                        "pe/orbit-padding7.dll",
                        "pe/orbit-timestamped.dll",
                        "pe/orbit-expired-timestamped.dll",
                        "pe/orbit-extra-cert.dll",
                        "pe/orbit-unauth-blob.dll",
                        "pe/orbit-unstripped-signed.dll",
                        "pe/orbit-trojanized-signed.dll",
                        "pe/orbit-sigflip.dll",
                        "pe/orbit-sigflip-after-padding.dll",
                        "pe/orbit-table-trailing-data.dll",
                        "pe/orbit-lookalike.dll",
                        "pe/orbit-noeku.dll",
                        "pe/orbit-expired.dll",
                        "efi/shimx64.efi.signed")
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("signedFixtures")
    void digestMatchesTheDigestEverySignatureCarries(String name) throws Exception {
        PeFile pe = fixture(name);

        List<CertificateEntry> entries = pe.certificateTable().orElseThrow().entries();
        assertThat(entries).isNotEmpty();
        for (CertificateEntry entry : entries) {
            SignedDigest signed = SignedDigest.find(entry.content().toArray());
            MessageDigest md = MessageDigest.getInstance(signed.algorithm());
            pe.digest(md);
            assertThat(HexFormat.of().formatHex(md.digest()))
                    .as("%s digest of %s, entry at 0x%x", signed.algorithm(), name, entry.offset())
                    .isEqualTo(HexFormat.of().formatHex(signed.digest()));
        }
    }

    @Test
    void computesTheDigestOsslsigncodeReportsForAPatchedFile() throws Exception {
        PeFile pe = fixture("pe/orbit-signed-patched.dll");

        MessageDigest md = MessageDigest.getInstance("SHA-256");
        pe.digest(md);
        // osslsigncode-verify.txt: "Calculated message digest : 3CD291BB...EB70 MISMATCH!!!"
        assertThat(HexFormat.of().withUpperCase().formatHex(md.digest()))
                .isEqualTo("3CD291BB8EFA236A82BDBB5E671B298C9EAB3167516560E8B6B9F9F3B40EEB70");
    }

    @Test
    void readsShimsTwoMicrosoftSignaturesWithZeroPadding() throws Exception {
        PeFile pe = fixture("efi/shimx64.efi.signed");

        CertificateTable table = pe.certificateTable().orElseThrow();
        // Each dwLength includes the 6 zero bytes after its DER blob; the entries are back to back.
        assertThat(table.entries()).extracting(CertificateEntry::length).containsExactly(9792L, 9576L);
        assertThat(table.entries().get(1).offset()).isEqualTo(table.offset() + 9792);
        assertThat(table.entries()).allMatch(CertificateEntry::isPkcsSignedData);
        assertThat(table.uncovered()).isEmpty();
        assertThat(pe.anomalies()).isEmpty();
        assertThat(pe.subsystem()).isEqualTo(10); // EFI application
        assertThat(pe.machineName()).isEqualTo("amd64");
    }

    @Test
    void leavesTheSigFlipPayloadInsideTheEntryForTheVerifier() throws Exception {
        PeFile pe = fixture("pe/orbit-sigflip.dll");

        CertificateTable table = pe.certificateTable().orElseThrow();
        assertThat(table.entries()).hasSize(1);
        byte[] content = table.entries().getFirst().content().toArray();
        assertThat(HexFormat.of().formatHex(content)).contains("feedfacefeedface");
        assertThat(table.uncovered()).isEmpty();
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void reportsBytesAfterTheOnlyEntryAsUncovered() throws Exception {
        PeFile pe = fixture("pe/orbit-table-trailing-data.dll");

        CertificateTable table = pe.certificateTable().orElseThrow();
        assertThat(table.entries()).hasSize(1);
        assertThat(table.uncovered()).singleElement().satisfies(r -> assertThat(r.length())
                .isEqualTo(64));
        assertThat(pe.anomalies()).extracting(PeAnomaly::kind).containsExactly(PeAnomaly.Kind.CERTIFICATE_ENTRY);
    }

    @Test
    void reportsCertificateTablePastEndOfFile() throws Exception {
        PeFile pe = fixture("pe/orbit-cert-past-eof.dll");

        assertThat(pe.anomalies()).extracting(PeAnomaly::kind).contains(PeAnomaly.Kind.CERTIFICATE_TABLE_LOCATION);
    }

    @Test
    void findsDataAppendedAfterTheCertificateTable() throws Exception {
        PeFile pe = fixture("pe/orbit-signed-overlay.dll");

        CertificateTable table = pe.certificateTable().orElseThrow();
        long fileEnd = pe.data().size();
        assertThat(pe.unexplainedOverlay())
                .containsExactly(ByteRange.between(table.range().end(), fileEnd));
        assertThat(fileEnd - table.range().end()).isEqualTo(4096);
        assertThat(pe.authenticodeDigestRanges().getLast())
                .isEqualTo(ByteRange.between(table.range().end(), fileEnd));
    }

    @Test
    void findsAppendedOverlayOfUnsignedFile() throws Exception {
        PeFile pe = fixture("pe/orbit-overlay.dll");

        assertThat(pe.overlayLength()).isEqualTo(4096);
        assertThat(pe.unexplainedOverlay()).containsExactly(new ByteRange(pe.overlayOffset(), 4096));
    }

    @Test
    void explainsTheCoffSymbolTableOfAnUnstrippedDll() throws Exception {
        PeFile pe = fixture("pe/orbit-unstripped.dll");

        assertThat(pe.overlayOffset()).isEqualTo(0x10400);
        assertThat(pe.coffSymbolTable()).hasValue(ByteRange.between(0x10400, 89447));
        assertThat(pe.unexplainedOverlay()).isEmpty();
        assertThat(pe.sections()).extracting(PeSection::name).contains(".debug_info"); // a "/n" long name
    }

    @Test
    void readsOrdinalAndDelayLoadImports() throws Exception {
        PeFile pe = fixture("pe/orbit-codec.dll");

        assertThat(pe.imports()).extracting(PeImport::qualifiedName).contains("WS2_32.dll!#8");
        assertThat(pe.imports().stream().filter(PeImport::delayed))
                .extracting(PeImport::qualifiedName)
                .containsExactlyInAnyOrder("WININET.dll!InternetOpenA", "WININET.dll!InternetCloseHandle");
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void readsPe32FixtureVersionAndImports() throws Exception {
        PeFile pe = fixture("pe/orbit32.dll");

        assertThat(pe.pe32Plus()).isFalse();
        assertThat(pe.machineName()).isEqualTo("i386");
        assertThat(pe.dll()).isTrue();
        assertThat(pe.exports())
                .extracting(PeExport::displayName)
                // 32-bit stdcall names keep mingw's @argument-bytes decoration.
                .containsExactly(
                        "OrbitLoadCodec@0", "OrbitNotify@4", "OrbitReadSetting@12", "OrbitUptime@0", "OrbitVersion@0");
        assertThat(pe.imports()).extracting(PeImport::dll).contains("KERNEL32.dll", "USER32.dll", "ADVAPI32.dll");
        VersionInfo version = pe.versionInfo().orElseThrow();
        assertThat(version.string("CompanyName")).hasValue("Orbit Telecom Ltd");
        assertThat(version.string("OriginalFilename")).hasValue("orbit32.dll");
        assertThat(version.fileVersion()).hasValue("1.2.3.4");
    }

    @Test
    void readsTruncatedImageWithAnomalies() throws Exception {
        PeFile pe = fixture("pe/orbit-truncated-half.dll");

        assertThat(pe.anomalies()).isNotEmpty();
        assertThat(pe.imageEnd()).isEqualTo(pe.data().size());
    }

    /** The DigestInfo inside an Authenticode SpcIndirectDataContent, found by its DER bytes (test-only shortcut). */
    private record SignedDigest(String algorithm, byte[] digest) {

        private static final Object[][] ALGORITHMS = {
            {"SHA-256", "0609608648016503040201", 32},
            {"SHA-384", "0609608648016503040202", 48},
            {"SHA-512", "0609608648016503040203", 64},
            {"SHA-1", "06052b0e03021a", 20},
        };

        /** The first hash OID followed by NULL parameters and an OCTET STRING of that hash's size. */
        static SignedDigest find(byte[] der) {
            String hex = HexFormat.of().formatHex(der);
            int best = Integer.MAX_VALUE;
            SignedDigest found = null;
            for (Object[] a : ALGORITHMS) {
                int length = (Integer) a[2];
                String pattern = a[1] + "050004" + HexFormat.of().toHexDigits((byte) length);
                int at = hex.indexOf(pattern);
                while (at >= 0 && at % 2 != 0) {
                    at = hex.indexOf(pattern, at + 1);
                }
                if (at >= 0 && at < best) {
                    best = at;
                    int start = (at + pattern.length()) / 2;
                    byte[] digest = java.util.Arrays.copyOfRange(der, start, start + length);
                    found = new SignedDigest((String) a[0], digest);
                }
            }
            assertThat(found)
                    .as("an Authenticode DigestInfo in the PKCS#7 blob")
                    .isNotNull();
            return found;
        }
    }
}
