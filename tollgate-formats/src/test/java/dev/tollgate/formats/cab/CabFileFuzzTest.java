package dev.tollgate.formats.cab;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fuzzes the cabinet parser and its MSZIP and LZX decoders: the only acceptable failures are {@link FormatException} and, while
 * reading a folder, an {@link IOException} caused by one. Saved inputs in {@code CabFileFuzzTestInputs/} run as
 * regression tests in every build; {@code JAZZER_FUZZ=1} fuzzes (see {@code bin/fuzz}).
 */
class CabFileFuzzTest {

    private static final long MAX_READ = 8L << 20;

    @FuzzTest(maxDuration = "60s")
    void parseAndDecode(byte[] data) throws IOException {
        CabFile cab;
        try {
            cab = CabFile.parse(ByteView.of(data));
        } catch (FormatException expected) {
            return;
        }
        for (CabFile.File f : cab.files()) {
            require(f.name().length() <= 256, "name longer than 256");
        }
        byte[] buffer = new byte[8192];
        for (CabFile.Folder folder : cab.folders()) {
            if (!CabFile.supports(folder.compression())) {
                continue;
            }
            try (InputStream in = cab.open(folder)) {
                long total = 0;
                int n;
                while ((n = in.read(buffer)) > 0 && total < MAX_READ) {
                    total += n;
                }
                require(total <= (long) folder.blockCount() * 32768 + 65535, "folder longer than its blocks allow");
            } catch (FormatException expected) {
                // an unsupported or broken folder
            } catch (IOException e) {
                if (!(e.getCause() instanceof FormatException)) {
                    throw e;
                }
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void mszipBlocks(byte[] data) {
        MsZipDecoder decoder = new MsZipDecoder();
        int at = 0;
        while (at + 4 <= data.length) {
            int length = Math.min(((data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF)), data.length - at - 4);
            int uncompressed = (data[at + 2] & 0xFF) << 8 | (data[at + 3] & 0xFF);
            byte[] block = java.util.Arrays.copyOfRange(data, at + 4, at + 4 + length);
            try {
                byte[] out = decoder.decode(block, uncompressed, at);
                require(out.length == uncompressed, "decoded length differs from the declared one");
            } catch (FormatException expected) {
                return;
            }
            at += 4 + length;
        }
    }

    /**
     * The LZX decoder alone, one folder: the first byte picks the window (2^15 to 2^21), then CFDATA blocks as
     * {@code [length: 2 bytes BE][uncompressed size: 2 bytes BE][length bytes]}. Every block either decodes to
     * exactly its declared size or fails with a {@link FormatException}; memory stays within the window.
     */
    @FuzzTest(maxDuration = "60s")
    void lzxBlocks(byte[] data) {
        if (data.length == 0) {
            return;
        }
        LzxDecoder decoder;
        try {
            decoder = LzxDecoder.forWindow(15 + (data[0] & 0xFF) % 7, 0);
        } catch (FormatException e) {
            throw new IllegalStateException("window 15 to 21 refused", e);
        }
        int at = 1;
        while (at + 4 <= data.length) {
            int length = Math.min(((data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF)), data.length - at - 4);
            int uncompressed = (data[at + 2] & 0xFF) << 8 | (data[at + 3] & 0xFF);
            byte[] block = java.util.Arrays.copyOfRange(data, at + 4, at + 4 + length);
            try {
                byte[] out = decoder.decode(block, uncompressed, at);
                require(out.length == uncompressed, "decoded length differs from the declared one");
            } catch (FormatException expected) {
                return;
            }
            at += 4 + length;
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("invariant broken: " + what);
        }
    }
}
