package dev.tollgate.yara;

import java.lang.foreign.MemorySegment;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** Locates the test inputs under {@code src/test/resources/dev/tollgate/yara} (see the README there). */
final class TestData {

    private TestData() {}

    static Path path(String name) {
        try {
            return Path.of(Objects.requireNonNull(TestData.class.getResource(name), name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static MemorySegment bytes(byte[] b) {
        return MemorySegment.ofArray(b);
    }

    /** {@code size} bytes of zeros with {@code pattern} written at each offset. */
    static byte[] withAt(int size, byte[] pattern, int... offsets) {
        byte[] data = new byte[size];
        for (int o : offsets) {
            System.arraycopy(pattern, 0, data, o, pattern.length);
        }
        return data;
    }

    static final byte[] TAG = {
        (byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE, (byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE
    };
}
