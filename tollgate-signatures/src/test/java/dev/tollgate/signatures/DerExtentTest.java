package dev.tollgate.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.FormatException;
import org.junit.jupiter.api.Test;

class DerExtentTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void measuresShortAndLongDefiniteLengths() throws FormatException {
        assertThat(DerExtent.of(bytes(0x04, 0x02, 0xaa, 0xbb, 0xff, 0xff), 8)).isEqualTo(4);
        byte[] longForm = new byte[4 + 300 + 5];
        longForm[0] = 0x04;
        longForm[1] = (byte) 0x82;
        longForm[2] = 0x01;
        longForm[3] = 0x2c;
        assertThat(DerExtent.of(longForm, 8)).isEqualTo(304);
    }

    @Test
    void measuresNestedConstructedElementAndIgnoresTrailingBytes() throws FormatException {
        byte[] sequence = bytes(0x30, 0x06, 0x02, 0x01, 0x05, 0x30, 0x01, 0x05, 0xfe, 0xed, 0xfa, 0xce);
        // The inner SEQUENCE claims 1 byte but holds a whole primitive header: malformed, not 8.
        assertThatThrownBy(() -> DerExtent.of(sequence, 8)).isInstanceOf(FormatException.class);
        byte[] good = bytes(0x30, 0x06, 0x02, 0x01, 0x05, 0x30, 0x01, 0x05, 0xfe);
        assertThatThrownBy(() -> DerExtent.of(good, 8)).isInstanceOf(FormatException.class);
        byte[] valid = bytes(0x30, 0x05, 0x02, 0x01, 0x05, 0x30, 0x00, 0xfe, 0xed);
        assertThat(DerExtent.of(valid, 8)).isEqualTo(7);
    }

    @Test
    void measuresIndefiniteLengthUpToItsEndOfContents() throws FormatException {
        byte[] ber = bytes(0x30, 0x80, 0x02, 0x01, 0x05, 0x30, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
        assertThat(DerExtent.of(ber, 8)).isEqualTo(11);
    }

    @Test
    void acceptsHighTagNumbers() throws FormatException {
        assertThat(DerExtent.of(bytes(0x9f, 0x81, 0x01, 0x01, 0x00), 8)).isEqualTo(5);
    }

    @Test
    void refusesLengthBeyondTheData() {
        assertThatThrownBy(() -> DerExtent.of(bytes(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x00), 8))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> DerExtent.of(bytes(0x30, 0x85, 1, 1, 1, 1, 1), 8))
                .hasMessageContaining("at most 4");
    }

    @Test
    void refusesChildThatOverrunsItsParent() {
        assertThatThrownBy(() -> DerExtent.of(bytes(0x30, 0x03, 0x04, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00), 8))
                .isInstanceOf(FormatException.class);
    }

    @Test
    void refusesTruncatedAndEmptyInput() {
        assertThatThrownBy(() -> DerExtent.of(new byte[0], 8)).hasMessageContaining("identifier expected");
        assertThatThrownBy(() -> DerExtent.of(bytes(0x30), 8)).hasMessageContaining("length expected");
        assertThatThrownBy(() -> DerExtent.of(bytes(0x30, 0x80, 0x02, 0x01, 0x05), 8))
                .isInstanceOf(FormatException.class);
    }

    @Test
    void refusesIndefiniteLengthOnPrimitiveAndStrayEndOfContents() {
        assertThatThrownBy(() -> DerExtent.of(bytes(0x04, 0x80, 0x00, 0x00), 8)).hasMessageContaining("primitive");
        assertThatThrownBy(() -> DerExtent.of(bytes(0x00, 0x00), 8)).hasMessageContaining("end-of-contents");
    }

    @Test
    void refusesNestingDeeperThanTheLimitIteratively() {
        byte[] deep = new byte[2_000_000];
        for (int i = 0; i < deep.length; i += 2) {
            deep[i] = 0x30;
            deep[i + 1] = (byte) 0x80;
        }
        assertThatThrownBy(() -> DerExtent.of(deep, 64)).hasMessageContaining("nesting deeper than 64");

        byte[] definite = new byte[250];
        for (int depth = 0; depth < 65; depth++) {
            definite[3 * depth] = 0x30;
            definite[3 * depth + 1] = (byte) 0x81;
            definite[3 * depth + 2] = (byte) (250 - 3 * (depth + 1));
        }
        assertThatThrownBy(() -> DerExtent.of(definite, 64)).hasMessageContaining("nesting deeper than 64");
    }
}
