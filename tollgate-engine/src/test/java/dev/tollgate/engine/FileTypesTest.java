package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.ByteView;
import dev.tollgate.model.FileType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileTypesTest {

    private static String type(int... head) {
        byte[] b = new byte[64];
        for (int i = 0; i < head.length; i++) {
            b[i] = (byte) head[i];
        }
        return FileTypes.detect(ByteView.of(b)).label();
    }

    private static byte[] mz(long lfanew, int size) {
        byte[] b = new byte[size];
        b[0] = 'M';
        b[1] = 'Z';
        b[0x3c] = (byte) lfanew;
        b[0x3d] = (byte) (lfanew >> 8);
        b[0x3e] = (byte) (lfanew >> 16);
        b[0x3f] = (byte) (lfanew >> 24);
        return b;
    }

    @Test
    void peNeedsThePeSignatureWhereELfanewPoints() {
        byte[] pe = mz(0x80, 0x200);
        pe[0x80] = 'P';
        pe[0x81] = 'E';
        assertThat(FileTypes.detect(ByteView.of(pe)).label()).isEqualTo("pe");
    }

    @Test
    void mzWithoutAValidPeHeaderIsMsdos() {
        assertThat(FileTypes.detect(ByteView.of(mz(0x80, 0x200))).label()).isEqualTo("msdos");
        assertThat(FileTypes.detect(ByteView.of(mz(0xFFFFFFF0L, 0x200))).label())
                .isEqualTo("msdos");
        assertThat(FileTypes.detect(ByteView.of(new byte[] {'M', 'Z'})).label()).isEqualTo("msdos");
    }

    @ParameterizedTest
    @CsvSource({
        "7f 45 4c 46, elf",
        "fe ed fa ce, macho",
        "cf fa ed fe, macho",
        "ca fe ba be 00 00 00 02, macho",
        "ca fe ba be 00 00 00 41, java-class",
        "50 4b 03 04, zip",
        "50 4b 05 06, zip",
        "1f 8b 08, gzip",
        "fd 37 7a 58 5a 00, xz",
        "42 5a 68 39, bzip2",
        "28 b5 2f fd, zstd",
        "37 7a bc af 27 1c, 7z",
        "52 61 72 21 1a 07 00, rar",
        "4d 53 43 46, cab",
        "d0 cf 11 e0 a1 b1 1a e1, ole",
        "25 50 44 46 2d, pdf",
        "89 50 4e 47 0d 0a 1a 0a, png",
        "ff d8 ff e0, jpeg",
        "47 49 46 38 39 61, gif",
        "00 00 01 00 02 00, ico",
        "23 21 2f 62 69 6e, script",
        "00 01 02 03, data"
    })
    void recognisesMagicBytes(String hex, String expected) {
        String[] parts = hex.split(" ");
        int[] head = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            head[i] = Integer.parseInt(parts[i], 16);
        }
        assertThat(type(head)).isEqualTo(expected);
    }

    @Test
    void printableTextIsText() {
        assertThat(FileTypes.detect(ByteView.of("key: value\n\tother: ü\n".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(FileType.TEXT);
    }
}
