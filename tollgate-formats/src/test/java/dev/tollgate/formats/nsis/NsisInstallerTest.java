package dev.tollgate.formats.nsis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.TruncatedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The NSIS parser on the installers of fixtures/nsis (see its README): what makensis 3.08 writes, and tampering. */
class NsisInstallerTest {

    static final Path FIXTURES = Path.of("..", "fixtures", "nsis");

    static final String ORBIT_DLL = sha256(read(Path.of("..", "fixtures", "pe", "orbit.dll")));
    static final String SIGFLIP_DLL = sha256(read(Path.of("..", "fixtures", "pe", "orbit-sigflip.dll")));
    static final String ZEROS = sha256(new byte[65536]);

    @ParameterizedTest
    @CsvSource({
        "zlib.exe,            ZLIB,  false, false, true",
        "zlib-solid.exe,      ZLIB,  true,  false, true",
        "bzip2.exe,           BZIP2, false, false, true",
        "bzip2-solid.exe,     BZIP2, true,  false, true",
        "lzma.exe,            LZMA,  false, false, true",
        "lzma-solid.exe,      LZMA,  true,  false, true",
        "lzma-solid-signed.exe, LZMA, true, false, true",
        "lzma-solid-ansi.exe, LZMA,  true,  false, false",
        "lzma-amd64.exe,      LZMA,  false, true,  true",
    })
    void decodesEveryFileOfEachVariantToTheOriginalBytes(
            String fixture, NsisCompression compression, boolean solid, boolean wide, boolean unicode)
            throws Exception {
        NsisInstaller nsis = NsisInstaller.parse(ByteView.of(read(FIXTURES.resolve(fixture))));

        assertThat(nsis.compression()).contains(compression);
        assertThat(nsis.solid()).isEqualTo(solid);
        assertThat(nsis.header().wide()).isEqualTo(wide);
        assertThat(nsis.header().unicode()).isEqualTo(unicode);
        assertThat(nsis.crc())
                .hasValueSatisfying(crc -> assertThat(crc.matches()).isTrue());
        assertThat(nsis.files())
                .extracting(NsisInstaller.File::name)
                .containsExactly(
                        "$INSTDIR\\orbit.dll",
                        "$INSTDIR\\d3dcompiler_47.dll",
                        "$INSTDIR\\resources\\readme.txt",
                        "$INSTDIR\\resources\\readme-copy.txt",
                        "$LOCALAPPDATA\\Orbit\\zeros.bin");
        Map<String, String> digests = digestsByName(nsis);
        assertThat(digests)
                .containsEntry("$INSTDIR\\orbit.dll", ORBIT_DLL)
                .containsEntry("$INSTDIR\\d3dcompiler_47.dll", SIGFLIP_DLL)
                .containsEntry("$LOCALAPPDATA\\Orbit\\zeros.bin", ZEROS)
                .containsEntry("$INSTDIR\\resources\\readme.txt", digests.get("$INSTDIR\\resources\\readme-copy.txt"));
        assertThat(nsis.uninstallers()).singleElement().satisfies(u -> assertThat(u.name())
                .isEqualTo("$INSTDIR\\uninstall.exe"));
    }

    @Test
    void readsAnInstallerWhoseHeaderAndFilesAreStored() throws Exception {
        NsisInstaller nsis = NsisInstaller.parse(ByteView.of(read(FIXTURES.resolve("stored.exe"))));

        assertThat(nsis.compression()).isEmpty();
        assertThat(nsis.headerCompressed()).isFalse();
        assertThat(digestsByName(nsis)).containsEntry("$INSTDIR\\d3dcompiler_47.dll", SIGFLIP_DLL);
    }

    @Test
    void readsTheFirstHeaderWhereTheStubDoes() throws Exception {
        byte[] bytes = read(FIXTURES.resolve("lzma-solid.exe"));

        NsisFirstHeader first = NsisFirstHeader.find(ByteView.of(bytes)).orElseThrow();

        assertThat(first.offset() % NsisFirstHeader.ALIGNMENT).isZero();
        assertThat(first.end()).isEqualTo(bytes.length);
        assertThat(first.hasCrc()).isTrue();
        assertThat(first.uninstaller()).isFalse();
    }

    @Test
    void findsNoInstallerInAPlainDll() {
        assertThat(NsisInstaller.detect(ByteView.of(read(Path.of("..", "fixtures", "pe", "orbit.dll")))))
                .isFalse();
    }

    @Test
    void rendersVariablesAndShellFoldersOfAnAnsiInstaller() throws Exception {
        NsisInstaller nsis = NsisInstaller.parse(ByteView.of(read(FIXTURES.resolve("lzma-solid-ansi.exe"))));

        assertThat(nsis.header().strings().nsis2Codes()).isFalse();
        assertThat(nsis.files()).extracting(NsisInstaller.File::name).contains("$LOCALAPPDATA\\Orbit\\zeros.bin");
    }

    /**
     * 7-Zip extracts empty files from an installer whose header is stored while its files are compressed: a way to
     * hide a payload from tools built on it. Made from zlib.exe by storing its header uncompressed (and fixing the
     * lengths and the CRC), as a hand-edited installer would.
     */
    @Test
    void readsCompressedFilesBehindAStoredHeader() throws Exception {
        byte[] bytes = read(FIXTURES.resolve("zlib.exe"));
        NsisInstaller original = NsisInstaller.parse(ByteView.of(bytes));
        int first = (int) original.firstHeader().offset();
        int compressed = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(first + 28) & 0x7FFFFFFF;
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        inflater.setInput(bytes, first + 32, compressed);
        byte[] header = new byte[(int) original.firstHeader().headerLength()];
        assertThat(inflater.inflate(header)).isEqualTo(header.length);
        inflater.end();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(bytes, 0, first + 28);
        out.write(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(header.length)
                .array());
        out.write(header);
        int dataStart = first + 32 + compressed;
        int dataEnd = (int) original.firstHeader().payloadEnd();
        out.write(bytes, dataStart, dataEnd - dataStart);
        byte[] edited = out.toByteArray();
        putU32(edited, first + 24, edited.length + 4 - first);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(edited, NsisFirstHeader.ALIGNMENT, edited.length - NsisFirstHeader.ALIGNMENT);
        edited = java.util.Arrays.copyOf(edited, edited.length + 4);
        putU32(edited, edited.length - 4, (int) crc.getValue());

        NsisInstaller nsis = NsisInstaller.parse(ByteView.of(edited));

        assertThat(nsis.headerCompressed()).isFalse();
        assertThat(nsis.crc()).hasValueSatisfying(c -> assertThat(c.matches()).isTrue());
        assertThat(digestsByName(nsis)).containsEntry("$INSTDIR\\d3dcompiler_47.dll", SIGFLIP_DLL);
        assertThat(nsis.compression()).contains(NsisCompression.ZLIB);
    }

    // ---- tampering: each rewrites one field of a good installer and expects one precise failure ----

    @Test
    void refusesATruncatedInstaller() {
        byte[] bytes = read(FIXTURES.resolve("lzma-solid.exe"));
        long first = firstHeader(bytes);
        byte[] cut = java.util.Arrays.copyOf(bytes, (int) (first + (bytes.length - first) / 2));

        assertThatThrownBy(() -> NsisInstaller.parse(ByteView.of(cut)))
                .isInstanceOf(TruncatedException.class)
                .hasMessageContaining("NSIS installer data")
                .satisfies(e -> assertThat(((TruncatedException) e).offset()).isEqualTo(first));
    }

    @Test
    void refusesAHugeDeclaredHeaderLengthBeforeAllocatingIt() {
        byte[] bytes = read(FIXTURES.resolve("zlib.exe"));
        int first = (int) firstHeader(bytes);
        putU32(bytes, first + 20, 0x7FFFFFFF);

        assertThatThrownBy(() -> NsisInstaller.parse(ByteView.of(bytes)))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("length_of_header is 2147483647 bytes")
                .satisfies(e -> assertThat(((FormatException) e).offset()).isEqualTo(first + 20));
    }

    @Test
    void refusesACorruptedItemLengthThatRunsPastTheData() throws Exception {
        byte[] bytes = read(FIXTURES.resolve("zlib.exe"));
        NsisInstaller good = NsisInstaller.parse(ByteView.of(bytes));
        long item = good.dataStart() + good.files().get(1).dataOffset();
        putU32(bytes, (int) item, 0x80000000 | 0x00FFFFFF);
        NsisInstaller nsis = NsisInstaller.parse(ByteView.of(bytes));

        assertThatThrownBy(() -> {
                    try (NsisDataBlock.Cursor c = nsis.data().open(in -> in)) {
                        while (c.next()) {
                            // walk to the broken item
                        }
                    }
                })
                .isInstanceOf(TruncatedException.class)
                .hasMessageContaining("NSIS data block item at offset 5448 (compressed) needs 16777215 bytes")
                .satisfies(e -> assertThat(((TruncatedException) e).offset()).isEqualTo(item + 4));
    }

    @Test
    void refusesABlockOffsetOutsideTheHeader() throws Exception {
        byte[] bytes = read(FIXTURES.resolve("stored.exe"));
        long header = NsisInstaller.parse(ByteView.of(bytes)).dataStart() - 4502;
        // The block table's third row (entries): offset at 4 + 2 * 8 in the stored header.
        putU32(bytes, (int) header + 4 + 2 * 8, 0x00FFFFFF);

        assertThatThrownBy(() -> NsisInstaller.parse(ByteView.of(bytes)))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("NSIS block 2 starts at 16777215, outside the header of 4502 bytes")
                .satisfies(e -> assertThat(((FormatException) e).offset()).isEqualTo(header + 20));
    }

    @Test
    void refusesAnUnknownHeaderLayoutAsUnsupported() throws Exception {
        byte[] bytes = read(FIXTURES.resolve("stored.exe"));
        long header = NsisInstaller.parse(ByteView.of(bytes)).dataStart() - 4502;
        putU32(bytes, (int) header + 4, 304); // the pages block where no known NSIS build puts it

        assertThatThrownBy(() -> NsisInstaller.parse(ByteView.of(bytes)))
                .isInstanceOf(UnsupportedNsisException.class)
                .hasMessageContaining("the pages block starts at 304");
    }

    @Test
    void refusesACorruptedCompressedHeader() {
        byte[] bytes = read(FIXTURES.resolve("lzma.exe"));
        int first = (int) firstHeader(bytes);
        bytes[first + NsisFirstHeader.SIZE + 4 + 20] ^= 0x55; // inside the LZMA-compressed header

        assertThatThrownBy(() -> NsisInstaller.parse(ByteView.of(bytes)))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("does not decode as zlib, bzip2 or lzma")
                .satisfies(e -> assertThat(((FormatException) e).offset()).isEqualTo(first + NsisFirstHeader.SIZE));
    }

    @Test
    void refusesAnLzmaDictionaryAboveTheLimitAsUnsupported() {
        byte[] bytes = read(FIXTURES.resolve("lzma-solid.exe"));
        int first = (int) firstHeader(bytes);
        putU32(bytes, first + NsisFirstHeader.SIZE + 1, 0x40000000); // 1 GiB dictionary

        assertThatThrownBy(() -> NsisInstaller.parse(ByteView.of(bytes)))
                .isInstanceOf(UnsupportedNsisException.class)
                .hasMessageContaining("LZMA dictionary of 1073741824 bytes is larger than the limit");
    }

    @Test
    void reportsACrcThatNoLongerMatches() throws Exception {
        byte[] bytes = read(FIXTURES.resolve("stored.exe"));
        NsisInstaller good = NsisInstaller.parse(ByteView.of(bytes));
        bytes[(int) (good.dataStart() + 4 + 100)] ^= 1; // one bit of the stored orbit.dll

        Optional<NsisInstaller.Crc> crc =
                NsisInstaller.parse(ByteView.of(bytes)).crc();

        assertThat(crc).hasValueSatisfying(c -> assertThat(c.matches()).isFalse());
    }

    @Test
    void decodesNsisBzip2RunsAcrossTheFourByteRunLimit() throws Exception {
        // zeros.bin is 64 KiB of one byte value: RLE1 runs of 4 + 251 copies, then RUNA/RUNB symbols.
        NsisInstaller nsis = NsisInstaller.parse(ByteView.of(read(FIXTURES.resolve("bzip2.exe"))));

        assertThat(digestsByName(nsis)).containsEntry("$LOCALAPPDATA\\Orbit\\zeros.bin", ZEROS);
    }

    // ---- helpers ----

    static Map<String, String> digestsByName(NsisInstaller nsis) throws IOException, FormatException {
        Map<Long, String> byOffset = new LinkedHashMap<>();
        try (NsisDataBlock.Cursor c = nsis.data().open(in -> in)) {
            while (c.next()) {
                byte[] content;
                if (c.stored().isPresent()) {
                    content = c.stored().get().toArray();
                } else {
                    try (InputStream in = c.content()) {
                        content = in.readAllBytes();
                    }
                }
                if (c.size() >= 0) {
                    assertThat(content).hasSize((int) c.size());
                }
                byOffset.put(c.offset(), sha256(content));
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (NsisInstaller.File f : nsis.files()) {
            out.put(f.name(), byOffset.get(f.dataOffset()));
        }
        return out;
    }

    static long firstHeader(byte[] bytes) {
        return NsisFirstHeader.find(ByteView.of(bytes)).orElseThrow().offset();
    }

    static void putU32(byte[] bytes, int at, int value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    }

    static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
