package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.ByteView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** NSIS installers (fixtures/nsis) through the unpacker: names, contents, the uninstaller, and what is refused. */
class NsisReaderTest {

    private static final Path NSIS = Path.of("..", "fixtures", "nsis");

    private static byte[] installer(String name) throws IOException {
        return Files.readAllBytes(NSIS.resolve(name));
    }

    private static Collected unpack(String name, byte[] bytes) {
        return Collected.unpack(name, bytes, Limits.defaults());
    }

    @Test
    void detectsAnNsisInstallerByItsFirstHeaderNotItsName() throws IOException {
        assertThat(ContainerType.detect(ByteView.of(installer("lzma-solid.exe"))))
                .contains(ContainerType.NSIS);
        assertThat(ContainerType.detect(ByteView.of(Files.readAllBytes(Path.of("..", "fixtures", "pe", "orbit.dll")))))
                .isEmpty();
    }

    @Test
    void listsTheFilesUnderTheirInstallPathsAndTheUninstallerItems() throws IOException {
        Collected c = unpack("lzma-solid.exe", installer("lzma-solid.exe"));

        assertThat(c.problems).isEmpty();
        assertThat(c.files.keySet())
                .containsExactly(
                        "$INSTDIR/orbit.dll",
                        "$INSTDIR/d3dcompiler_47.dll",
                        "$INSTDIR/resources/readme.txt",
                        "$INSTDIR/resources/readme-copy.txt",
                        "$LOCALAPPDATA/Orbit/zeros.bin",
                        "nsis-data/uninstaller-icons",
                        "nsis-data/uninstaller");
        assertThat(c.files.get("$INSTDIR/d3dcompiler_47.dll"))
                .isEqualTo(Files.readAllBytes(Path.of("..", "fixtures", "pe", "orbit-sigflip.dll")));
        assertThat(c.files.get("$INSTDIR/resources/readme-copy.txt"))
                .isEqualTo(c.files.get("$INSTDIR/resources/readme.txt"));
    }

    @Test
    void unpacksTheUninstallersOwnDataAsNsisToo() throws IOException {
        byte[] uninstaller = unpack("zlib.exe", installer("zlib.exe")).files.get("nsis-data/uninstaller");

        assertThat(ContainerType.detect(ByteView.of(uninstaller))).contains(ContainerType.NSIS);
        Collected inner = unpack("uninstaller", uninstaller);
        assertThat(inner.problems).isEmpty();
    }

    @Test
    void reportsANameThatClimbsOutOfTheInstallDirectory() throws IOException {
        Collected c = unpack("traversal.exe", installer("traversal.exe"));

        assertThat(c.kinds()).containsExactly(ProblemKind.PATH_TRAVERSAL);
        assertThat(c.problems.getFirst().entry()).isEqualTo("$INSTDIR\\..\\..\\..\\Windows\\System32\\version.dll");
        assertThat(c.files).containsOnlyKeys("Windows/System32/version.dll");
    }

    @Test
    void holdsAnInstallerOfAnUnknownLayoutAsUnsupported() throws IOException {
        byte[] bytes = installer("stored.exe");
        int header = indexOfHeader(bytes);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(header + 4, 304);

        Collected c = unpack("stored.exe", bytes);

        assertThat(c.kinds()).containsExactly(ProblemKind.UNSUPPORTED);
        assertThat(c.problems.getFirst().message()).contains("NSIS installer not unpacked");
        assertThat(c.files).isEmpty();
    }

    @Test
    void reportsAFileWhoseDataOffsetIsNotAnItem() throws IOException {
        byte[] bytes = installer("stored.exe");
        int header = indexOfHeader(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int entries = header + b.getInt(header + 4 + 2 * 8);
        // Entry 2 is File d3dcompiler_47.dll: parameter 2 (at +12) is its data offset.
        b.putInt(entries + 2 * 28 + 12, b.getInt(entries + 2 * 28 + 12) + 1);

        Collected c = unpack("stored.exe", bytes);

        // The header changed, so the CRC fails too.
        assertThat(c.kinds()).containsExactly(ProblemKind.TRUNCATED, ProblemKind.TRUNCATED);
        assertThat(c.problems.getFirst().message()).contains("fails its CRC-32");
        assertThat(c.problems.get(1).entry()).isEqualTo("$INSTDIR\\d3dcompiler_47.dll");
        assertThat(c.problems.get(1).message()).contains("where no item of the data block starts");
        // Its bytes are still vetted, as an item no instruction names.
        assertThat(c.files).containsKey("nsis-data/0x3804");
    }

    @Test
    void reportsACorruptSolidStreamAndTheBrokenCrc() throws IOException {
        byte[] bytes = installer("lzma-solid.exe");
        int middle = bytes.length - 8000;
        bytes[middle] ^= 0x40;

        Collected c = unpack("lzma-solid.exe", bytes);

        assertThat(c.kinds()).contains(ProblemKind.TRUNCATED);
        assertThat(c.problems.getFirst().message()).contains("fails its CRC-32");
    }

    @Test
    void reportsATruncatedInstallerAsAProblem() throws IOException {
        byte[] bytes = installer("bzip2.exe");

        Collected c = unpack("bzip2.exe", Arrays.copyOf(bytes, bytes.length - 1000));

        assertThat(c.kinds()).containsExactly(ProblemKind.TRUNCATED);
        assertThat(c.problems.getFirst().message()).contains("nsis container is malformed");
    }

    @Test
    void reportsAFileCompressedWithADictionaryAboveTheLimitAsUnsupported() throws IOException {
        byte[] bytes = installer("lzma.exe");
        int first = indexOfHeader(bytes) - 4;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int data = first + 4 + (b.getInt(first) & 0x7FFFFFFF);
        // The d3dcompiler_47.dll item (data offset 5001): length, then the LZMA properties and dictionary size.
        b.putInt(data + 5001 + 4 + 1, 0x40000000);

        Collected c = unpack("lzma.exe", bytes);

        assertThat(c.kinds()).containsExactly(ProblemKind.TRUNCATED, ProblemKind.UNSUPPORTED);
        assertThat(c.problems.get(1).entry()).isEqualTo("$INSTDIR\\d3dcompiler_47.dll");
        assertThat(c.problems.get(1).message()).contains("LZMA dictionary of 1073741824 bytes");
        assertThat(c.files).containsKey("$INSTDIR/orbit.dll").doesNotContainKey("$INSTDIR/d3dcompiler_47.dll");
    }

    /** The stored header of stored.exe: right after the first header and its 4-byte length. */
    private static int indexOfHeader(byte[] bytes) {
        for (int at = 0; at + 28 <= bytes.length; at += 512) {
            if (ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(at + 4) == 0xDEADBEEF) {
                return at + 28 + 4;
            }
        }
        throw new AssertionError("no first header");
    }
}
