package dev.tollgate.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteViewTest {

    /** The definition: bytes from {@code offset} up to the first NUL, the end of the view or {@code maxLength}. */
    private static String reference(byte[] data, int offset, int maxLength) {
        int end = offset;
        while (end < data.length && end - offset < maxLength && data[end] != 0) {
            end++;
        }
        return new String(data, offset, end - offset, StandardCharsets.ISO_8859_1);
    }

    @Test
    void asciizStopsAtTheFirstNulTheEndOrTheLimit() throws TruncatedException {
        ByteView view = ByteView.of("kernel32.dll\0GetProcAddress\0ab".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(view.asciiz(0, 256, "name")).isEqualTo("kernel32.dll");
        assertThat(view.asciiz(13, 256, "name")).isEqualTo("GetProcAddress");
        assertThat(view.asciiz(13, 7, "name")).isEqualTo("GetProc");
        assertThat(view.asciiz(28, 256, "name")).isEqualTo("ab"); // no NUL before the end
        assertThat(view.asciiz(12, 256, "name")).isEmpty();
        assertThatThrownBy(() -> view.asciiz(30, 256, "name")).isInstanceOf(TruncatedException.class);
    }

    @Test
    void asciizKeepsHighBytesAsLatin1() throws TruncatedException {
        ByteView view = ByteView.of(new byte[] {(byte) 0xe9, (byte) 0x80, 'x', (byte) 0xff, 0, 'y'});

        assertThat(view.asciiz(0, 16, "name")).isEqualTo("\u00e9\u0080x\u00ff");
    }

    @Test
    void asciizAgreesWithTheDefinitionEverywhere() throws TruncatedException {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2_000; round++) {
            byte[] data = new byte[random.nextInt(1, 80)];
            for (int i = 0; i < data.length; i++) {
                // Mostly printable with some NULs and some 0x01 and 0x80 bytes, the edge cases of finding a zero
                // byte eight at a time.
                int kind = random.nextInt(10);
                data[i] = (byte) (kind == 0 ? 0 : kind == 1 ? 1 : kind == 2 ? 0x80 : random.nextInt(0x20, 0x7f));
            }
            ByteView view = ByteView.of(data);
            int offset = random.nextInt(data.length);
            int maxLength = random.nextInt(1, 100);
            assertThat(view.asciiz(offset, maxLength, "name")).isEqualTo(reference(data, offset, maxLength));
        }
    }
}
