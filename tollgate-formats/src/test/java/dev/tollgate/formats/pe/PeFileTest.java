package dev.tollgate.formats.pe;

import static dev.tollgate.formats.pe.PeImageBuilder.certificateEntry;
import static dev.tollgate.formats.pe.PeImageBuilder.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tollgate.formats.ByteView;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeFileTest {

    private static final byte[] CODE = {(byte) 0xC3, (byte) 0xCC, (byte) 0xCC, (byte) 0xCC};

    private static PeImageBuilder builder(boolean pe32Plus) {
        return pe32Plus ? PeImageBuilder.pe32Plus() : PeImageBuilder.pe32();
    }

    static PeFile parse(byte[] bytes) throws PeFormatException {
        return PeFile.parse(ByteView.of(bytes));
    }

    @Test
    void readsPe32PlusHeaders() throws Exception {
        PeImageBuilder b =
                PeImageBuilder.pe32Plus().dll().timeDateStamp(0x65000000L).subsystem(3);
        PeFile pe = parse(b.section(".text", PeImageBuilder.CODE, CODE).build());

        assertThat(pe.pe32Plus()).isTrue();
        assertThat(pe.machine()).isEqualTo(0x8664);
        assertThat(pe.machineName()).isEqualTo("amd64");
        assertThat(pe.dll()).isTrue();
        assertThat(pe.timeDateStamp()).isEqualTo(0x65000000L);
        assertThat(pe.subsystem()).isEqualTo(3);
        assertThat(pe.imageBase()).isEqualTo(PeImageBuilder.IMAGE_BASE_64);
        assertThat(pe.entryPoint()).isEqualTo(0x1000);
        assertThat(pe.sectionAlignment()).isEqualTo(0x1000);
        assertThat(pe.fileAlignment()).isEqualTo(0x200);
        assertThat(pe.sizeOfImage()).isEqualTo(0x2000);
        assertThat(pe.sizeOfHeaders()).isEqualTo(0x200);
        assertThat(pe.numberOfRvaAndSizes()).isEqualTo(16);
        assertThat(pe.dataDirectories()).hasSize(16);
        assertThat(pe.checkSumOffset()).isEqualTo(b.optionalHeaderOffset() + 64);
        assertThat(pe.certificateDirectoryOffset()).hasValue(b.optionalHeaderOffset() + 112 + 32);
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void readsPe32Headers() throws Exception {
        PeImageBuilder b = PeImageBuilder.pe32().subsystem(2);
        PeFile pe = parse(b.section(".text", PeImageBuilder.CODE, CODE).build());

        assertThat(pe.pe32Plus()).isFalse();
        assertThat(pe.machineName()).isEqualTo("i386");
        assertThat(pe.dll()).isFalse();
        assertThat(pe.subsystem()).isEqualTo(2);
        assertThat(pe.imageBase()).isEqualTo(PeImageBuilder.IMAGE_BASE_32);
        assertThat(pe.checkSumOffset()).isEqualTo(b.optionalHeaderOffset() + 64);
        assertThat(pe.certificateDirectoryOffset()).hasValue(b.optionalHeaderOffset() + 96 + 32);
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void namesMachines() throws Exception {
        assertThat(parse(PeImageBuilder.pe32Plus().machine(0xaa64).build()).machineName())
                .isEqualTo("arm64");
        assertThat(parse(PeImageBuilder.pe32().machine(0x01c4).build()).machineName())
                .isEqualTo("arm");
        assertThat(parse(PeImageBuilder.pe32().machine(0x1234).build()).machineName())
                .isEqualTo("unknown-0x1234");
    }

    @Test
    void readsSectionsWithEntropy() throws Exception {
        byte[] uniform = new byte[4096];
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = (byte) i;
        }
        PeFile pe = parse(PeImageBuilder.pe32Plus()
                .section(".text", PeImageBuilder.CODE, CODE)
                .section(".data", PeImageBuilder.DATA | 0x80000000, new byte[1000])
                .section(".packed", PeImageBuilder.DATA, uniform)
                .build());

        assertThat(pe.sections()).extracting(PeSection::name).containsExactly(".text", ".data", ".packed");
        PeSection text = pe.sections().get(0);
        assertThat(text.virtualAddress()).isEqualTo(0x1000);
        assertThat(text.virtualSize()).isEqualTo(4);
        assertThat(text.pointerToRawData()).isEqualTo(0x200);
        assertThat(text.sizeOfRawData()).isEqualTo(0x200);
        assertThat(text.executable()).isTrue();
        assertThat(pe.sections().get(1).executable()).isFalse();
        assertThat(pe.sections().get(1).writable()).isTrue();
        assertThat(pe.sections().get(1).entropy()).isZero();
        assertThat(pe.sections().get(2).entropy()).isCloseTo(8.0, within(1e-9));
    }

    @Test
    void mapsRvasToFileOffsets() throws Exception {
        PeFile pe = parse(PeImageBuilder.pe32Plus()
                .section(".text", PeImageBuilder.CODE, CODE)
                .section(".data", PeImageBuilder.DATA, new byte[0x300])
                .build());

        assertThat(pe.rvaToOffset(0x1002)).hasValue(0x202);
        assertThat(pe.rvaToOffset(0x2010)).hasValue(0x410);
        assertThat(pe.rvaToOffset(0x40)).hasValue(0x40); // in the headers
        assertThat(pe.rvaToOffset(0x2500)).isEmpty(); // after the raw data: memory only
        assertThat(pe.rvaToOffset(0x9000)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsImportsByNameAndOrdinal(boolean pe32Plus) throws Exception {
        Map<String, List<String>> dlls = new LinkedHashMap<>();
        dlls.put("KERNEL32.dll", List.of("GetTickCount", "LoadLibraryW"));
        dlls.put("WS2_32.dll", List.of("#23", "connect"));
        PeFile pe = parse(builder(pe32Plus)
                .section(".text", PeImageBuilder.CODE, CODE)
                .imports(dlls)
                .build());

        assertThat(pe.imports())
                .extracting(PeImport::qualifiedName)
                .containsExactly(
                        "KERNEL32.dll!GetTickCount",
                        "KERNEL32.dll!LoadLibraryW",
                        "WS2_32.dll!#23",
                        "WS2_32.dll!connect");
        assertThat(pe.imports().get(0).hint()).isEqualTo(OptionalInt.of("GetTickCount".length()));
        assertThat(pe.imports().get(2).ordinal()).isEqualTo(OptionalInt.of(23));
        assertThat(pe.imports().get(2).function()).isEmpty();
        assertThat(pe.imports()).noneMatch(PeImport::delayed);
        assertThat(pe.anomalies()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pe32/rva", "pe32/va", "pe32plus/rva", "pe32plus/va"})
    void readsDelayLoadImportsInBothForms(String variant) throws Exception {
        boolean pe32Plus = variant.startsWith("pe32plus");
        boolean rvaForm = variant.endsWith("rva");
        Map<String, List<String>> dlls = new LinkedHashMap<>();
        dlls.put("USER32.dll", List.of("MessageBoxW", "#5"));
        dlls.put("SHELL32.dll", List.of("ShellExecuteW"));
        PeFile pe = parse(builder(pe32Plus)
                .section(".text", PeImageBuilder.CODE, CODE)
                .imports(Map.of("KERNEL32.dll", List.of("Sleep")))
                .delayImports(dlls, rvaForm)
                .build());

        assertThat(pe.imports())
                .extracting(PeImport::qualifiedName)
                .containsExactly(
                        "KERNEL32.dll!Sleep", "USER32.dll!MessageBoxW", "USER32.dll!#5", "SHELL32.dll!ShellExecuteW");
        assertThat(pe.imports()).extracting(PeImport::delayed).containsExactly(false, true, true, true);
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void readsExportsWithOrdinalsAndForwarders() throws Exception {
        List<String> exports = Arrays.asList("Zeta", null, "Alpha", "Fwd=KERNEL32.GetTickCount");
        PeFile pe = parse(PeImageBuilder.pe32Plus()
                .dll()
                .section(".text", PeImageBuilder.CODE, CODE)
                .exports("sample.dll", 5, exports)
                .build());

        assertThat(pe.exports()).extracting(PeExport::ordinal).containsExactly(5L, 6L, 7L, 8L);
        assertThat(pe.exports()).extracting(PeExport::displayName).containsExactly("Zeta", "#6", "Alpha", "Fwd");
        assertThat(pe.exports().get(3).forwarder()).hasValue("KERNEL32.GetTickCount");
        assertThat(pe.exports().get(0).forwarder()).isEmpty();
        assertThat(pe.exports().get(0).rva()).isEqualTo(0x100000);
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void readsVersionResource() throws Exception {
        Map<String, String> strings = new LinkedHashMap<>();
        strings.put("CompanyName", "3CX Ltd");
        strings.put("FileDescription", "3CX Desktop App");
        strings.put("FileVersion", "18.12.416.0");
        strings.put("ProductVersion", "18.12.416");
        strings.put("OriginalFilename", "ffmpeg.dll");
        strings.put("LegalCopyright", "Copyright \u00a9 2023");
        byte[] version = PeImageBuilder.versionInfo(new int[] {18, 12, 416, 0}, new int[] {18, 12, 0, 7}, strings);
        PeFile pe = parse(PeImageBuilder.pe32Plus()
                .section(".text", PeImageBuilder.CODE, CODE)
                .versionResource(version)
                .build());

        VersionInfo info = pe.versionInfo().orElseThrow();
        assertThat(info.fileVersion()).hasValue("18.12.416.0");
        assertThat(info.productVersion()).hasValue("18.12.0.7");
        assertThat(info.strings()).containsExactlyEntriesOf(strings);
        assertThat(info.string("CompanyName")).hasValue("3CX Ltd");
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void findsOverlayAfterLastSection() throws Exception {
        byte[] appended = "appended payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        PeFile pe = parse(PeImageBuilder.pe32()
                .section(".text", PeImageBuilder.CODE, CODE)
                .overlay(appended)
                .build());

        assertThat(pe.imageEnd()).isEqualTo(0x400);
        assertThat(pe.overlayOffset()).isEqualTo(0x400);
        assertThat(pe.overlayLength()).isEqualTo(appended.length);
        assertThat(pe.overlayOutsideCertificateTable()).containsExactly(new ByteRange(0x400, appended.length));
        assertThat(pe.certificateTable()).isEmpty();
    }

    @Test
    void noOverlayWhenFileEndsWithImage() throws Exception {
        PeFile pe = parse(PeImageBuilder.pe32Plus()
                .section(".text", PeImageBuilder.CODE, CODE)
                .build());

        assertThat(pe.overlayLength()).isZero();
        assertThat(pe.overlayOutsideCertificateTable()).isEmpty();
    }

    @Test
    void readsEveryCertificateEntry() throws Exception {
        byte[] first = certificateEntry(0x200, 2, bytes(13, 0x30));
        byte[] second = certificateEntry(0x200, 2, bytes(24, 0x31));
        PeImageBuilder b = PeImageBuilder.pe32Plus().section(".text", PeImageBuilder.CODE, CODE);
        PeFile pe = parse(b.certificateTable(concat(first, second)).build());

        CertificateTable table = pe.certificateTable().orElseThrow();
        assertThat(table.offset()).isEqualTo(0x400);
        assertThat(table.declaredSize()).isEqualTo(first.length + second.length);
        assertThat(table.entries()).hasSize(2);
        CertificateEntry e1 = table.entries().get(0);
        assertThat(e1.offset()).isEqualTo(0x400);
        assertThat(e1.length()).isEqualTo(21);
        assertThat(e1.revision()).isEqualTo(CertificateEntry.REVISION_2_0);
        assertThat(e1.isPkcsSignedData()).isTrue();
        assertThat(e1.content().toArray()).isEqualTo(bytes(13, 0x30));
        assertThat(table.entries().get(1).offset()).isEqualTo(0x400 + 24); // 21 rounded up to 8
        assertThat(table.entries().get(1).content().toArray()).isEqualTo(bytes(24, 0x31));
        assertThat(table.uncovered()).isEmpty(); // zero alignment padding is not hidden data
        assertThat(pe.overlayOutsideCertificateTable()).isEmpty();
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void flagsPayloadHiddenAfterCertificateEntries() throws Exception {
        byte[] payload = concat(new byte[] {(byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE}, bytes(60, 0x77));
        byte[] entry = certificateEntry(0x200, 2, bytes(40, 0x30));
        PeFile pe = parse(PeImageBuilder.pe32Plus()
                .section(".text", PeImageBuilder.CODE, CODE)
                .certificateTable(concat(entry, payload))
                .build());

        CertificateTable table = pe.certificateTable().orElseThrow();
        assertThat(table.entries()).hasSize(1);
        // The payload's first 4 bytes read as a dwLength far beyond the table: an anomaly, and uncovered data.
        assertThat(table.uncovered()).containsExactly(new ByteRange(0x400 + entry.length, payload.length));
        assertThat(pe.anomalies()).extracting(PeAnomaly::kind).containsExactly(PeAnomaly.Kind.CERTIFICATE_ENTRY);
    }

    @Test
    void flagsNonZeroAlignmentPaddingAsUncovered() throws Exception {
        byte[] entry = certificateEntry(0x200, 2, bytes(13, 0x30)); // 21 bytes + 3 bytes padding
        entry[22] = 0x41;
        PeFile pe = parse(PeImageBuilder.pe32Plus()
                .section(".text", PeImageBuilder.CODE, CODE)
                .certificateTable(entry)
                .build());

        assertThat(pe.certificateTable().orElseThrow().uncovered()).containsExactly(new ByteRange(0x400 + 21, 3));
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void reportsTrailingZerosInCertificateTableAsUncoveredWithoutAnomaly() throws Exception {
        byte[] entry = certificateEntry(0x200, 2, bytes(16, 0x30));
        PeFile pe = parse(PeImageBuilder.pe32Plus()
                .section(".text", PeImageBuilder.CODE, CODE)
                .certificateTable(concat(entry, new byte[16]))
                .build());

        assertThat(pe.certificateTable().orElseThrow().uncovered())
                .containsExactly(new ByteRange(0x400 + entry.length, 16));
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void digestRangesSkipChecksumDirectoryEntryAndCertificateTable() throws Exception {
        byte[] entry = certificateEntry(0x200, 2, bytes(16, 0x30));
        PeImageBuilder b = PeImageBuilder.pe32Plus().section(".text", PeImageBuilder.CODE, CODE);
        byte[] file = b.certificateTable(entry).build();
        PeFile pe = parse(file);

        long checksum = b.optionalHeaderOffset() + 64;
        long dirEntry = b.directoryEntryOffset(4);
        assertThat(pe.authenticodeDigestRanges())
                .containsExactly(
                        ByteRange.between(0, checksum),
                        ByteRange.between(checksum + 4, dirEntry),
                        ByteRange.between(dirEntry + 8, 0x400));
        assertThat(digest(pe)).isEqualTo(sha256(file, pe.authenticodeDigestRanges()));
    }

    @Test
    void digestRangesIncludeDataAfterCertificateTable() throws Exception {
        byte[] entry = certificateEntry(0x200, 2, bytes(16, 0x30));
        PeImageBuilder b = PeImageBuilder.pe32().section(".text", PeImageBuilder.CODE, CODE);
        byte[] file = b.certificateTable(entry).trailing(bytes(10, 0x55)).build();
        PeFile pe = parse(file);

        long tableEnd = 0x400 + entry.length;
        assertThat(pe.authenticodeDigestRanges()).hasSize(4);
        assertThat(pe.authenticodeDigestRanges().get(3)).isEqualTo(ByteRange.between(tableEnd, file.length));
        assertThat(pe.overlayOutsideCertificateTable()).containsExactly(ByteRange.between(tableEnd, file.length));
    }

    @Test
    void digestRangesOfUnsignedFileRunToEndOfFile() throws Exception {
        PeImageBuilder b = PeImageBuilder.pe32Plus().section(".text", PeImageBuilder.CODE, CODE);
        byte[] file = b.overlay(bytes(5, 1)).build();
        PeFile pe = parse(file);

        long dirEntry = b.directoryEntryOffset(4);
        assertThat(pe.authenticodeDigestRanges())
                .containsExactly(
                        ByteRange.between(0, b.optionalHeaderOffset() + 64),
                        ByteRange.between(b.optionalHeaderOffset() + 68, dirEntry),
                        ByteRange.between(dirEntry + 8, file.length));
        // The digest ignores the fields a signer writes: CheckSum and the certificate directory entry.
        byte[] patched = file.clone();
        PeImageBuilder.putU32(patched, b.optionalHeaderOffset() + 64, 0x12345678);
        PeImageBuilder.putU32(patched, dirEntry, 0x1000);
        assertThat(digest(parse(patched))).isEqualTo(digest(pe));
        patched[(int) dirEntry + 8] ^= 1; // but not the next byte
        assertThat(digest(parse(patched))).isNotEqualTo(digest(pe));
    }

    @Test
    void digestRangesWithoutCertificateDirectoryRunFromChecksum() throws Exception {
        PeImageBuilder b = PeImageBuilder.pe32Plus().numberOfRvaAndSizes(4);
        byte[] file = b.section(".text", PeImageBuilder.CODE, CODE).build();
        PeFile pe = parse(file);

        assertThat(pe.certificateDirectoryOffset()).isEmpty();
        assertThat(pe.dataDirectories()).hasSize(4);
        assertThat(pe.authenticodeDigestRanges())
                .containsExactly(
                        ByteRange.between(0, b.optionalHeaderOffset() + 64),
                        ByteRange.between(b.optionalHeaderOffset() + 68, file.length));
    }

    static byte[] digest(PeFile pe) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        pe.digest(md);
        return md.digest();
    }

    static byte[] sha256(byte[] file, List<ByteRange> ranges) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (ByteRange r : ranges) {
            md.update(file, (int) r.offset(), (int) r.length());
        }
        return md.digest();
    }

    static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
