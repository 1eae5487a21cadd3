package dev.tollgate.formats.pe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.ByteView;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The parser against real mingw-w64 binaries (see {@code src/test/resources/pe/README.md}); the expected values are
 * what {@code x86_64-w64-mingw32-objdump -p} and {@code -h} (binutils 2.40) print for the same files.
 */
class PeFileSamplesTest {

    static byte[] sample(String name) throws IOException {
        try (InputStream in = PeFileSamplesTest.class.getResourceAsStream("/pe/" + name)) {
            assertThat(in).as("test resource /pe/%s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void readsMingwDllHeadersAsObjdumpDoes() throws Exception {
        PeFile pe = PeFile.parse(ByteView.of(sample("sample64.dll")));

        assertThat(pe.pe32Plus()).isTrue(); // Magic 020b
        assertThat(pe.machineName()).isEqualTo("amd64");
        assertThat(pe.characteristics()).isEqualTo(0x222e);
        assertThat(pe.dll()).isTrue();
        assertThat(pe.timeDateStamp()).isZero(); // --no-insert-timestamp
        assertThat(pe.entryPoint()).isEqualTo(0x1034);
        assertThat(pe.imageBase()).isEqualTo(0x389650000L);
        assertThat(pe.sizeOfImage()).isEqualTo(0xb000);
        assertThat(pe.sizeOfHeaders()).isEqualTo(0x400);
        assertThat(pe.checkSum()).isEqualTo(0x49d7);
        assertThat(pe.subsystem()).isEqualTo(3); // Windows CUI
        assertThat(pe.dllCharacteristics()).isEqualTo(0x160);
        assertThat(pe.dataDirectories().get(DataDirectory.EXPORT).virtualAddress())
                .isEqualTo(0x7000);
        assertThat(pe.dataDirectories().get(DataDirectory.EXPORT).size()).isEqualTo(0xa3);
        assertThat(pe.dataDirectories().get(DataDirectory.IMPORT).size()).isEqualTo(0x1d8);
        assertThat(pe.dataDirectories().get(DataDirectory.RESOURCE).virtualAddress())
                .isEqualTo(0x9000);
        assertThat(pe.sections())
                .extracting(PeSection::name)
                .containsExactly(
                        ".text", ".data", ".rdata", ".pdata", ".xdata", ".bss", ".edata", ".idata", ".rsrc", ".reloc");
        assertThat(pe.sections())
                .extracting(PeSection::virtualAddress)
                .containsExactly(
                        0x1000L, 0x2000L, 0x3000L, 0x4000L, 0x5000L, 0x6000L, 0x7000L, 0x8000L, 0x9000L, 0xa000L);
        assertThat(pe.sections())
                .extracting(PeSection::pointerToRawData)
                .containsExactly(0x400L, 0xc00L, 0xe00L, 0x1000L, 0x1200L, 0L, 0x1400L, 0x1600L, 0x1800L, 0x1c00L);
        assertThat(pe.sections().get(0).executable()).isTrue();
        assertThat(pe.sections().get(0).entropy()).isBetween(1.0, 7.0);
        assertThat(pe.imageEnd()).isEqualTo(7680); // the file's size: .reloc ends the file
        assertThat(pe.overlayLength()).isZero();
        assertThat(pe.certificateTable()).isEmpty();
        assertThat(pe.anomalies()).isEmpty();
    }

    @Test
    void readsMingwDllImportsAndDelayImports() throws Exception {
        PeFile pe = PeFile.parse(ByteView.of(sample("sample64.dll")));

        List<PeImport> direct = pe.imports().stream().filter(i -> !i.delayed()).toList();
        assertThat(direct)
                .extracting(PeImport::qualifiedName)
                .containsExactly(
                        "KERNEL32.dll!FreeLibrary",
                        "KERNEL32.dll!GetLastError",
                        "KERNEL32.dll!GetModuleHandleA",
                        "KERNEL32.dll!GetProcAddress",
                        "KERNEL32.dll!GetTickCount",
                        "KERNEL32.dll!LoadLibraryA",
                        "KERNEL32.dll!LocalAlloc",
                        "KERNEL32.dll!LocalFree",
                        "KERNEL32.dll!RaiseException");
        assertThat(direct).extracting(i -> i.hint().getAsInt()).startsWith(443, 630, 651, 710, 799);
        // Delay import descriptor at RVA 0x1750: Attributes 1 (RVA form), DllNameRVA 0x8198, INT 0x8030.
        assertThat(pe.imports().stream().filter(PeImport::delayed))
                .extracting(PeImport::qualifiedName)
                .containsExactly("USER32.dll!MessageBeep");
    }

    @Test
    void readsMingwDllExportsAsObjdumpDoes() throws Exception {
        PeFile pe = PeFile.parse(ByteView.of(sample("sample64.dll")));

        // Ordinal base 3; [0] tg_add 1000, [1] tg_beep 1012, [2] tg_tick forwarder, [3] tg_version 1004, [4] #7 100c.
        assertThat(pe.exports()).extracting(PeExport::ordinal).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(pe.exports())
                .extracting(PeExport::displayName)
                .containsExactly("tg_add", "tg_beep", "tg_tick", "tg_version", "#7");
        assertThat(pe.exports()).extracting(PeExport::rva).containsExactly(0x1000L, 0x1012L, 0x7070L, 0x1004L, 0x100cL);
        assertThat(pe.exports().get(2).forwarder()).hasValue("KERNEL32.GetTickCount");
    }

    @Test
    void readsWindresVersionResource() throws Exception {
        PeFile pe = PeFile.parse(ByteView.of(sample("sample64.dll")));

        VersionInfo info = pe.versionInfo().orElseThrow();
        assertThat(info.fileVersion()).hasValue("1.2.3.4");
        assertThat(info.productVersion()).hasValue("1.2.0.0");
        assertThat(info.strings())
                .containsEntry("CompanyName", "Tollgate Test Vendor")
                .containsEntry("FileDescription", "Tollgate PE parser sample")
                .containsEntry("FileVersion", "1.2.3.4")
                .containsEntry("InternalName", "sample")
                .containsEntry("LegalCopyright", "Public domain")
                .containsEntry("OriginalFilename", "sample.dll")
                .containsEntry("ProductName", "Tollgate Samples")
                .containsEntry("ProductVersion", "1.2")
                .hasSize(8);
    }

    @Test
    void readsMingwExeImportsByNameAndOrdinal() throws Exception {
        PeFile pe = PeFile.parse(ByteView.of(sample("client64.exe")));

        assertThat(pe.dll()).isFalse();
        assertThat(pe.characteristics()).isEqualTo(0x22e);
        assertThat(pe.entryPoint()).isEqualTo(0x14d0);
        assertThat(pe.imageBase()).isEqualTo(0x140000000L);
        assertThat(pe.checkSum()).isEqualTo(0x124b0);
        assertThat(pe.sections()).hasSize(10);
        assertThat(pe.imports().subList(0, 2))
                .containsExactly(
                        new PeImport(
                                "sample64.dll",
                                java.util.Optional.of("tg_add"),
                                OptionalInt.empty(),
                                false,
                                OptionalInt.of(8)),
                        new PeImport("sample64.dll", java.util.Optional.empty(), OptionalInt.of(7), false));
        assertThat(pe.imports()).filteredOn(i -> i.dll().equals("KERNEL32.dll")).hasSize(11);
        assertThat(pe.imports()).filteredOn(i -> i.dll().equals("msvcrt.dll")).hasSize(25);
        assertThat(pe.imports()).extracting(PeImport::qualifiedName).contains("msvcrt.dll!vfprintf");
        assertThat(pe.exports()).isEmpty();
        assertThat(pe.versionInfo()).isEmpty();
        assertThat(pe.anomalies()).isEmpty();
    }
}
