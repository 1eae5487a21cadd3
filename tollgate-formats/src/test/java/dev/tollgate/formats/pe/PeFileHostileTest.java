package dev.tollgate.formats.pe;

import static dev.tollgate.formats.pe.PeFileTest.bytes;
import static dev.tollgate.formats.pe.PeFileTest.parse;
import static dev.tollgate.formats.pe.PeImageBuilder.certificateEntry;
import static dev.tollgate.formats.pe.PeImageBuilder.concat;
import static dev.tollgate.formats.pe.PeImageBuilder.putU16;
import static dev.tollgate.formats.pe.PeImageBuilder.putU32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.pe.PeImageBuilder.Blob;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Damaged and malicious inputs: each either parses with a precise anomaly or fails with PeFormatException. */
@Timeout(10)
class PeFileHostileTest {

    private static final byte[] CODE = {(byte) 0xC3};

    private static PeImageBuilder image() {
        return PeImageBuilder.pe32Plus().section(".text", PeImageBuilder.CODE, CODE);
    }

    private static List<PeAnomaly.Kind> kinds(PeFile pe) {
        return pe.anomalies().stream().map(PeAnomaly::kind).toList();
    }

    @Test
    void rejectsEmptyInput() {
        assertThatThrownBy(() -> parse(new byte[0]))
                .isInstanceOf(PeFormatException.class)
                .hasMessageContaining("DOS header");
    }

    @Test
    void rejectsFileWithoutMz() {
        byte[] file = image().build();
        file[0] = 'Z';
        assertThatThrownBy(() -> parse(file))
                .isInstanceOf(PeFormatException.class)
                .hasMessageContaining("expected MZ (0x5a4d) but found 0x5a5a")
                .hasMessageContaining("offset 0x0");
    }

    @Test
    void rejectsElfanewPastEndOfFile() {
        byte[] file = image().build();
        putU32(file, 0x3c, 0xFFFFFFF0L);
        assertThatThrownBy(() -> parse(file))
                .isInstanceOf(PeFormatException.class)
                .hasMessageContaining("e_lfanew 0xfffffff0 points past the end")
                .extracting(e -> ((PeFormatException) e).offset())
                .isEqualTo(0x3cL);
    }

    @Test
    void rejectsElfanewAtLastBytes() {
        byte[] file = image().build();
        putU32(file, 0x3c, file.length - 3);
        assertThatThrownBy(() -> parse(file)).isInstanceOf(PeFormatException.class);
    }

    @Test
    void rejectsMissingPeSignature() {
        byte[] file = image().build();
        file[0x40] = 'N';
        assertThatThrownBy(() -> parse(file))
                .isInstanceOf(PeFormatException.class)
                .hasMessageContaining("PE signature not found")
                .hasMessageContaining("offset 0x40");
    }

    @Test
    void rejectsUnknownOptionalHeaderMagic() {
        byte[] file = image().build();
        putU16(file, 0x58, 0x107); // ROM image
        assertThatThrownBy(() -> parse(file))
                .isInstanceOf(PeFormatException.class)
                .hasMessageContaining("but found 0x107");
    }

    @Test
    void truncationAtEveryHeaderBoundaryEitherFailsCleanlyOrParses() throws Exception {
        PeImageBuilder b = image();
        byte[] file = b.build();
        long optionalHeader = b.optionalHeaderOffset();
        long sectionTable = optionalHeader + 240;
        for (int n = 0; n <= file.length; n++) {
            byte[] cut = Arrays.copyOf(file, n);
            if (n < sectionTable) {
                // DOS header, signature, COFF header, optional header or data directories are cut short.
                assertThatThrownBy(() -> parse(cut)).as("cut at %d", n).isInstanceOf(PeFormatException.class);
            } else {
                PeFile pe = parse(cut);
                assertThat(pe.imageEnd()).isLessThanOrEqualTo(n);
                if (n < sectionTable + 40) {
                    assertThat(kinds(pe)).contains(PeAnomaly.Kind.TRUNCATED);
                    assertThat(pe.sections()).isEmpty();
                } else if (n < file.length) {
                    assertThat(pe.sections()).hasSize(1);
                }
            }
        }
    }

    @Test
    void namesTruncatedHeaderInMessage() {
        byte[] cut = Arrays.copyOf(image().build(), 0x40 + 4 + 10);
        assertThatThrownBy(() -> parse(cut))
                .isInstanceOf(PeFormatException.class)
                .hasMessageContaining("COFF header needs 20 bytes but only 10 remain");
    }

    @Test
    void readsSectionsThatFitWhenSectionTableRunsPastEndOfFile() throws Exception {
        PeImageBuilder b = image().numberOfSections(30);
        byte[] file = b.build();
        PeFile pe = parse(Arrays.copyOf(file, (int) (b.optionalHeaderOffset() + 240 + 40 * 3 + 7)));

        assertThat(pe.sections()).hasSize(3);
        assertThat(pe.anomalies())
                .anySatisfy(a -> assertThat(a.message()).contains("declares 30 sections but only 3 fit"));
    }

    @Test
    void reportsImageWithoutSections() throws Exception {
        PeFile pe = parse(PeImageBuilder.pe32().build());

        assertThat(pe.sections()).isEmpty();
        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.SECTION);
        assertThat(pe.imageEnd()).isEqualTo(pe.sizeOfHeaders());
    }

    @Test
    void capsHugeSectionCount() throws Exception {
        PeFile pe = parse(
                image().numberOfSections(65535).overlay(new byte[65535 * 40]).build());

        assertThat(pe.sections()).hasSize(PeFile.MAX_SECTIONS);
        assertThat(kinds(pe)).contains(PeAnomaly.Kind.LIMIT);
    }

    @Test
    void reportsSectionRawDataPastEndOfFile() throws Exception {
        byte[] file = image().build();
        putU32(file, 0x40 + 24 + 240 + 16, 0x100000); // SizeOfRawData of .text
        PeFile pe = parse(file);

        assertThat(kinds(pe)).contains(PeAnomaly.Kind.SECTION);
        assertThat(pe.imageEnd()).isEqualTo(file.length);
        assertThat(pe.overlayLength()).isZero();
    }

    @Test
    void capsDataDirectoryCountAt16() throws Exception {
        PeFile pe = parse(image().numberOfRvaAndSizes(0xFFFFFFFFL).build());

        assertThat(pe.dataDirectories()).hasSize(16);
        assertThat(pe.numberOfRvaAndSizes()).isEqualTo(0xFFFFFFFFL);
        assertThat(pe.anomalies()).anySatisfy(a -> assertThat(a.message()).contains("4294967295 is more than 16"));
    }

    @Test
    void skipsImportWhoseNameRvaPointsOutsideTheFile() throws Exception {
        Map<String, List<String>> dlls = new LinkedHashMap<>();
        dlls.put("EVIL.dll", List.of("Boom"));
        dlls.put("KERNEL32.dll", List.of("Sleep"));
        PeImageBuilder b = image().imports(dlls);
        byte[] file = b.build();
        long idata = 0x400; // .idata raw data follows .text
        putU32(file, idata + 12, 0x7FFFFFF0L); // first descriptor's Name
        PeFile pe = parse(file);

        assertThat(pe.imports()).extracting(PeImport::qualifiedName).containsExactly("KERNEL32.dll!Sleep");
        assertThat(pe.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(PeAnomaly.Kind.UNMAPPED_RVA);
            assertThat(a.offset()).isEqualTo(idata + 12);
            assertThat(a.message()).contains("0x7ffffff0");
        });
    }

    @Test
    void skipsImportedFunctionWhoseHintNameRvaPointsOutside() throws Exception {
        PeImageBuilder b = PeImageBuilder.pe32()
                .section(".text", PeImageBuilder.CODE, CODE)
                .imports(Map.of("KERNEL32.dll", List.of("Sleep", "ExitProcess")));
        byte[] file = b.build();
        long ilt = PeImageBuilder.u32(file, 0x400) - 0x2000 + 0x400;
        putU32(file, ilt, 0x6FFFFFFFL);
        PeFile pe = parse(file);

        assertThat(pe.imports()).extracting(PeImport::qualifiedName).containsExactly("KERNEL32.dll!ExitProcess");
        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.UNMAPPED_RVA);
    }

    @Test
    void stopsAtImportDescriptorLimitWithoutTerminator() throws Exception {
        // A directory of descriptors that all name the same DLL and lookup table, and never end.
        PeFile pe = parse(image().directorySection(".idata", DataDirectory.IMPORT, rva -> {
                    Blob b = new Blob();
                    long descriptors = 20L * (PeFile.MAX_IMPORT_DLLS + 10);
                    for (int i = 0; i < PeFile.MAX_IMPORT_DLLS + 10; i++) {
                        b.u32(rva + descriptors)
                                .u32(0)
                                .u32(0)
                                .u32(rva + descriptors + 16)
                                .u32(rva + descriptors);
                    }
                    b.u64(0x80000000_00000001L).u64(0).asciiz("LOOP.dll");
                    return b.toArray();
                })
                .build());

        assertThat(pe.imports()).hasSize(PeFile.MAX_IMPORT_DLLS);
        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.LIMIT);
    }

    @Test
    void boundsWorkWhenManyDescriptorsShareOneEndlessLookupTable() throws Exception {
        // Every descriptor points at the same table of non-zero, unmappable entries: the work must stay bounded.
        PeFile pe = parse(image().directorySection(".idata", DataDirectory.IMPORT, rva -> {
                    Blob b = new Blob();
                    long table = 20L * 200;
                    for (int i = 0; i < 200; i++) {
                        b.u32(rva + table).u32(0).u32(0).u32(rva + 8).u32(rva + table);
                    }
                    b.padTo(table);
                    for (int i = 0; i < 70_000; i++) {
                        b.u64(0x7FFF0000L);
                    }
                    return b.toArray();
                })
                .build());

        assertThat(pe.imports()).isEmpty();
        assertThat(kinds(pe)).contains(PeAnomaly.Kind.LIMIT, PeAnomaly.Kind.UNMAPPED_RVA);
        assertThat(pe.anomalies()).hasSizeLessThanOrEqualTo(PeFile.MAX_ANOMALIES + 1);
    }

    @Test
    void reportsExportTablesOutsideTheFile() throws Exception {
        PeImageBuilder b = image().exports("x.dll", 1, List.of("A", "B"));
        byte[] file = b.build();
        putU32(file, 0x400 + 20, 0xFFFFFFFFL); // NumberOfFunctions
        putU32(file, 0x400 + 28, 0x7FFF0000L); // AddressOfFunctions
        PeFile pe = parse(file);

        assertThat(pe.exports()).isEmpty();
        assertThat(kinds(pe)).contains(PeAnomaly.Kind.LIMIT, PeAnomaly.Kind.UNMAPPED_RVA);
    }

    @Test
    void reportsExportNameIndexOutOfRange() throws Exception {
        byte[] file = image().exports("x.dll", 1, List.of("A")).build();
        long ordinalTable = PeImageBuilder.u32(file, 0x400 + 36) - 0x2000 + 0x400;
        putU16(file, ordinalTable, 0x9999);
        PeFile pe = parse(file);

        assertThat(pe.exports()).extracting(PeExport::displayName).containsExactly("#1");
        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.IMPORT_EXPORT);
    }

    @Test
    void reportsExportNamePointerTableCutByTheEndOfTheFile() throws Exception {
        // Three name pointers, the last cut after two bytes: two names read, the third reported as entry 2 was.
        PeFile pe = parse(exportTablesCutAtEnd(true));

        assertThat(pe.exports()).extracting(PeExport::displayName).containsExactly("A", "B");
        assertThat(pe.anomalies())
                .filteredOn(a -> a.kind() == PeAnomaly.Kind.TRUNCATED)
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.offset()).isEqualTo(pe.data().size() - 2);
                    assertThat(a.message()).startsWith("export name pointer needs 4 bytes but only 2 remain");
                });
    }

    @Test
    void reportsExportOrdinalTableCutByTheEndOfTheFile() throws Exception {
        PeFile pe = parse(exportTablesCutAtEnd(false));

        assertThat(pe.exports()).extracting(PeExport::displayName).containsExactly("A", "B");
        assertThat(pe.anomalies())
                .filteredOn(a -> a.kind() == PeAnomaly.Kind.TRUNCATED)
                .singleElement()
                .satisfies(a -> assertThat(a.message()).startsWith("export ordinal needs 2 bytes but only 1 remain"));
    }

    /**
     * An export directory of two functions and three names ("A", "B", "A" again) whose name pointer table (or ordinal
     * table) is the last thing in the file and is cut inside its third entry.
     */
    private static byte[] exportTablesCutAtEnd(boolean namePointersLast) throws Exception {
        long[] tableRva = new long[1];
        byte[] file = image().directorySection(".edata", DataDirectory.EXPORT, rva -> {
                    Blob b = new Blob().padTo(40);
                    b.u32(0x100000).u32(0x100010); // the address table, at 40
                    b.asciiz("A").asciiz("B"); // at 48 and 50
                    long first = b.size();
                    long second = namePointersLast ? first + 8 : first + 12;
                    long names = namePointersLast ? second : first;
                    long ordinals = namePointersLast ? first : second;
                    b.padTo(second);
                    if (namePointersLast) {
                        b.putU16(ordinals, 0);
                        b.putU16(ordinals + 2, 1);
                        b.putU16(ordinals + 4, 0);
                        b.u32(rva + 48).u32(rva + 50).u32(rva + 48);
                    } else {
                        b.putU32(names, rva + 48);
                        b.putU32(names + 4, rva + 50);
                        b.putU32(names + 8, rva + 48);
                        b.u16(0).u16(1).u16(0);
                    }
                    b.putU32(16, 1);
                    b.putU32(20, 2);
                    b.putU32(24, 3);
                    b.putU32(28, rva + 40);
                    b.putU32(32, rva + names);
                    b.putU32(36, rva + ordinals);
                    tableRva[0] = rva + second;
                    return b.toArray();
                })
                .build();
        long lastTable = parse(file).rvaToOffset(tableRva[0]).orElseThrow();
        return Arrays.copyOf(file, (int) lastTable + (namePointersLast ? 10 : 5));
    }

    @Test
    void detectsResourceDirectoryThatPointsAtItself() throws Exception {
        PeFile pe = parse(image().directorySection(".rsrc", DataDirectory.RESOURCE, rva -> {
                    Blob b = PeImageBuilder.resourceTable(new Blob(), 2);
                    b.u32(16).u32(0x80000000L); // type 16 -> back to the root
                    b.u32(3).u32(0x80000018L); // type 3 -> a table whose entry points at the root again
                    PeImageBuilder.resourceTable(b, 1);
                    b.u32(1).u32(0x80000000L);
                    return b.toArray();
                })
                .build());

        assertThat(pe.versionInfo()).isEmpty();
        assertThat(kinds(pe)).contains(PeAnomaly.Kind.LOOP);
    }

    @Test
    void stopsResourceWalkAtDepthThree() throws Exception {
        PeFile pe = parse(image().directorySection(".rsrc", DataDirectory.RESOURCE, rva -> {
                    Blob b = new Blob();
                    for (int level = 0; level < 6; level++) {
                        PeImageBuilder.resourceTable(b, 1);
                        b.u32(16).u32(0x80000000L | (0x18L * (level + 1)));
                    }
                    return b.toArray();
                })
                .build());

        assertThat(pe.versionInfo()).isEmpty();
        assertThat(pe.anomalies()).singleElement().satisfies(a -> assertThat(a.message())
                .contains("deeper than 3 levels"));
    }

    @Test
    void capsResourceEntries() throws Exception {
        PeFile pe = parse(image().directorySection(".rsrc", DataDirectory.RESOURCE, rva -> {
                    Blob b = new Blob().u32(0).u32(0).u16(0).u16(0).u16(0xFFFF).u16(0xFFFF);
                    long data = 16 + 8L * 0x1FFFE;
                    for (int i = 0; i < 0x1FFFE; i++) {
                        b.u32(i).u32(data);
                    }
                    b.u32(rva).u32(4).u32(0).u32(0);
                    return b.toArray();
                })
                .build());

        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.LIMIT);
        assertThat(pe.anomalies().get(0).message()).contains("more than 10000 resource entries");
    }

    @Test
    void reportsVersionBlockLongerThanResource() throws Exception {
        byte[] version = PeImageBuilder.versionInfo(new int[] {1, 0, 0, 0}, new int[] {1, 0, 0, 0}, Map.of("A", "b"));
        putU16(version, 0, version.length + 100);
        PeFile pe = parse(image().versionResource(version).build());

        assertThat(pe.versionInfo()).isEmpty();
        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.RESOURCE);
    }

    @Test
    void keepsFixedVersionWhenStringBlockLies() throws Exception {
        Map<String, String> strings = new LinkedHashMap<>();
        strings.put("CompanyName", "Vendor");
        strings.put("ProductName", "Thing");
        byte[] version = PeImageBuilder.versionInfo(new int[] {2, 0, 0, 1}, new int[] {2, 0, 0, 0}, strings);
        int company = indexOf(version, PeImageBuilder.utf16z("CompanyName")) - 6;
        putU16(version, company, 0xFFF0);
        PeFile pe = parse(image().versionResource(version).build());

        VersionInfo info = pe.versionInfo().orElseThrow();
        assertThat(info.fileVersion()).hasValue("2.0.0.1");
        assertThat(info.strings()).isEmpty();
        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.RESOURCE);
    }

    @Test
    void reportsCertificateTableRunningPastEndOfFile() throws Exception {
        PeImageBuilder b = image();
        byte[] file =
                b.certificateTable(certificateEntry(0x200, 2, bytes(16, 0x30))).build();
        putU32(file, b.directoryEntryOffset(4) + 4, 0x10000);
        PeFile pe = parse(file);

        CertificateTable table = pe.certificateTable().orElseThrow();
        assertThat(table.declaredSize()).isEqualTo(0x10000);
        assertThat(table.entries()).hasSize(1);
        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.CERTIFICATE_TABLE_LOCATION);
        assertThat(pe.authenticodeDigestRanges().getLast().end()).isEqualTo(0x400);
    }

    @Test
    void reportsCertificateDirectoryPointingPastEndOfFile() throws Exception {
        PeImageBuilder b = image();
        byte[] file = b.build();
        putU32(file, b.directoryEntryOffset(4), 0x7FFFFFF8L);
        putU32(file, b.directoryEntryOffset(4) + 4, 0x100);
        PeFile pe = parse(file);

        assertThat(pe.certificateTable()).isEmpty();
        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.CERTIFICATE_TABLE_LOCATION);
        assertThat(pe.authenticodeDigestRanges().getLast().end()).isEqualTo(file.length);
    }

    @Test
    void reportsCertificateTableOverlappingHeaders() throws Exception {
        PeImageBuilder b = image();
        byte[] file = b.build();
        putU32(file, b.directoryEntryOffset(4), 0x40);
        putU32(file, b.directoryEntryOffset(4) + 4, 0x20);
        PeFile pe = parse(file);

        assertThat(kinds(pe)).contains(PeAnomaly.Kind.CERTIFICATE_TABLE_LOCATION);
        assertThat(pe.anomalies().get(0).message()).contains("overlaps the PE headers");
        // Such a table cannot be excluded from the digest: the digest runs to the end of the file.
        assertThat(pe.authenticodeDigestRanges().getLast())
                .isEqualTo(ByteRange.between(b.directoryEntryOffset(4) + 8, file.length));
    }

    @Test
    void reportsCertificateTableOverlappingSections() throws Exception {
        PeImageBuilder b = image();
        byte[] file = b.build();
        putU32(file, b.directoryEntryOffset(4), 0x200);
        putU32(file, b.directoryEntryOffset(4) + 4, 0x10);
        PeFile pe = parse(file);

        assertThat(pe.anomalies()).anySatisfy(a -> assertThat(a.message()).contains("overlaps the image"));
    }

    @Test
    void reportsCertificateLengthBelowHeaderSize() throws Exception {
        byte[] entry = certificateEntry(0x200, 2, bytes(8, 0x30));
        putU32(entry, 0, 4);
        PeFile pe = parse(image().certificateTable(entry).build());

        CertificateTable table = pe.certificateTable().orElseThrow();
        assertThat(table.entries()).isEmpty();
        assertThat(table.uncovered()).containsExactly(new ByteRange(0x400, 16));
        assertThat(pe.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(PeAnomaly.Kind.CERTIFICATE_ENTRY);
            assertThat(a.offset()).isEqualTo(0x400);
            assertThat(a.message()).contains("dwLength 4 is less than its 8-byte header");
        });
    }

    @Test
    void reportsCertificateLengthRunningPastTable() throws Exception {
        byte[] first = certificateEntry(0x200, 2, bytes(8, 0x30));
        byte[] second = certificateEntry(0x200, 2, bytes(8, 0x31));
        putU32(second, 0, 0x1000);
        PeFile pe = parse(image().certificateTable(concat(first, second)).build());

        CertificateTable table = pe.certificateTable().orElseThrow();
        assertThat(table.entries()).hasSize(1);
        assertThat(table.uncovered()).containsExactly(new ByteRange(0x400 + 16, 16));
        assertThat(pe.anomalies()).singleElement().satisfies(a -> assertThat(a.message())
                .contains("dwLength 4096 runs past the end of the table"));
    }

    @Test
    void capsCertificateEntries() throws Exception {
        byte[] one = certificateEntry(0x200, 2, new byte[0]);
        byte[] many = new byte[one.length * (PeFile.MAX_CERTIFICATE_ENTRIES + 5)];
        for (int i = 0; i < PeFile.MAX_CERTIFICATE_ENTRIES + 5; i++) {
            System.arraycopy(one, 0, many, i * one.length, one.length);
        }
        PeFile pe = parse(image().certificateTable(many).build());

        assertThat(pe.certificateTable().orElseThrow().entries()).hasSize(PeFile.MAX_CERTIFICATE_ENTRIES);
        assertThat(pe.certificateTable().orElseThrow().uncovered())
                .containsExactly(new ByteRange(0x400 + 8L * 4096, 40));
        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.LIMIT);
    }

    @Test
    void parsesGarbageAfterValidHeadersQuickly() {
        byte[] file = image().build();
        byte[] big = Arrays.copyOf(file, 1 << 20);
        for (int i = file.length; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        // Point every directory into the garbage.
        long dirs = 0x40 + 24 + 112;
        for (int i = 0; i < 16; i++) {
            putU32(big, dirs + 8L * i, 0x1000 + 0x123 * i);
            putU32(big, dirs + 8L * i + 4, 0x7FFFFFFF);
        }
        long start = System.nanoTime();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> parse(big)))
                .isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void dropsImportNameLongerThanLimit() throws Exception {
        String longName = "A".repeat(PeFile.MAX_NAME_LENGTH + 1);
        PeFile pe = parse(image().imports(Map.of("KERNEL32.dll", List.of(longName, "Sleep")))
                .build());

        assertThat(pe.imports()).extracting(PeImport::qualifiedName).containsExactly("KERNEL32.dll!Sleep");
        assertThat(pe.anomalies()).singleElement().satisfies(a -> assertThat(a.message())
                .contains("longer than 4096 bytes"));
    }

    @Test
    void readsOnlyTheFirstMebibyteOfAHugeVersionResource() throws Exception {
        byte[] version = PeImageBuilder.versionInfo(new int[] {3, 1, 0, 0}, new int[] {3, 1, 0, 0}, Map.of("A", "b"));
        byte[] file =
                image().versionResource(version).overlay(new byte[2 << 20]).build();
        long dataEntry = 0x400 + 0x48; // .rsrc raw data follows .text; see PeImageBuilder.resourceSection
        putU32(file, dataEntry + 4, 3 << 20);
        PeFile pe = parse(file);

        assertThat(pe.versionInfo().orElseThrow().fileVersion()).hasValue("3.1.0.0");
        assertThat(pe.anomalies()).singleElement().satisfies(a -> assertThat(a.kind())
                .isEqualTo(PeAnomaly.Kind.LIMIT));
    }

    @Test
    void reportsSymbolTablePointerPastEndOfFile() throws Exception {
        byte[] file = image().build();
        putU32(file, 0x40 + 4 + 8, 0x7FFF0000L); // PointerToSymbolTable
        PeFile pe = parse(file);

        assertThat(pe.coffSymbolTable()).isEmpty();
        assertThat(kinds(pe)).containsExactly(PeAnomaly.Kind.HEADER);
    }

    @Test
    void recordsRejectImpossibleValues() {
        assertThatThrownBy(() -> new ByteRange(-1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteRange(Long.MAX_VALUE, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeImport("a.dll", java.util.Optional.of("f"), java.util.OptionalInt.of(1), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeSection(".x", 0, 0, 0, 0, 0, 8.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CertificateEntry(0, 7, 0x200, 2, dev.tollgate.formats.ByteView.of(new byte[0])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
