package dev.tollgate.formats.nsis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** String tables written the way makensis codes variables, shell folders and language strings. */
class NsisStringsTest {

    /** makensis's CODE_SHORT: 7 bits in each byte, the top bit of both set so that no byte is NUL. */
    private static int coded(int value) {
        return (value & 0x7F) | ((value & 0x3F80) << 1) | 0x8080;
    }

    @Test
    void rendersNsis2AnsiCodes() throws FormatException {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.write(0); // makensis's first string is the empty one
        t.write(253); // NSIS 2 NS_VAR_CODE: $INSTDIR is variable 21
        t.write(coded(21) & 0xFF);
        t.write(coded(21) >> 8);
        t.writeBytes("\\bin\\a.dll".getBytes(StandardCharsets.ISO_8859_1));
        t.write(0);

        NsisStrings strings = NsisStrings.of(ByteView.of(t.toByteArray()), false);

        assertThat(strings.nsis2Codes()).isTrue();
        assertThat(strings.render(1)).isEqualTo("$INSTDIR\\bin\\a.dll");
    }

    @Test
    void rendersNsis3UnicodeCodes() throws FormatException {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        unit(t, 0);
        unit(t, 2); // NS_SHELL_CODE: current user CSIDL_APPDATA 0x1A, all users CSIDL_COMMON_APPDATA 0x23
        unit(t, 0x1A | 0x23 << 8);
        unit(t, '\\');
        unit(t, 4); // NS_SKIP_CODE: the next character is literal
        unit(t, 3);
        unit(t, 1); // NS_LANG_CODE: language string 7
        unit(t, coded(7));
        unit(t, 3); // NS_VAR_CODE: $R2 is variable 12
        unit(t, coded(12));
        unit(t, 0);

        NsisStrings strings = NsisStrings.of(ByteView.of(t.toByteArray()), true);

        assertThat(strings.render(1)).isEqualTo("$APPDATA\\\u0003$(LSTR_7)$R2");
        assertThat(strings.render(-3)).isEqualTo("$(LSTR_2)");
    }

    @Test
    void refusesAnOffsetOutsideTheTable() {
        NsisStrings strings = NsisStrings.of(ByteView.of(new byte[] {0, 'a', 0}), false);

        assertThatThrownBy(() -> strings.render(7))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("NSIS string offset 7 is outside the string table of 3 characters");
    }

    @Test
    void refusesAStringWithoutItsNul() {
        NsisStrings strings = NsisStrings.of(ByteView.of(new byte[] {0, 'a', 'b'}), false);

        assertThatThrownBy(() -> strings.render(1))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("runs past the end of the string table");
    }

    private static void unit(ByteArrayOutputStream out, int value) {
        out.write(value & 0xFF);
        out.write(value >> 8);
    }
}
