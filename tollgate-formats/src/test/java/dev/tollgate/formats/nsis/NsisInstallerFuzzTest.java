package dev.tollgate.formats.nsis;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Fuzzes the NSIS parser and decoders: find the first header, decode the header (zlib, NSIS bzip2, LZMA; solid or
 * not), render the file names, check the CRC and decode every item of the data block. The only acceptable failures
 * are {@link FormatException} (of which {@link UnsupportedNsisException} is one) and, while an item is decoded, an
 * {@link IOException}. Invariants: items come in increasing offsets, a stored item's view has its declared size, and
 * what is read stays bounded ({@link #MAX_READ} per item). Saved inputs in {@code NsisInstallerFuzzTestInputs/} (the
 * installer data of fixtures/nsis, first header at offset 0) run as regression tests in every build.
 */
class NsisInstallerFuzzTest {

    /** Bytes read of one item: enough to cover every decoder state, small enough for many runs per second. */
    private static final int MAX_READ = 1 << 20;

    private static final int MAX_ITEMS = 1000;

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        NsisInstaller nsis;
        try {
            nsis = NsisInstaller.parse(ByteView.of(data));
        } catch (FormatException expected) {
            return; // hostile input, reported with its offset
        }
        for (NsisInstaller.File f : nsis.files()) {
            if (f.name() == null || f.dataOffset() < 0) {
                throw new IllegalStateException("bad file record " + f);
            }
        }
        Optional<NsisInstaller.Crc> crc = nsis.crc();
        crc.ifPresent(NsisInstaller.Crc::matches);
        try (NsisDataBlock.Cursor c = nsis.data().open(in -> in)) {
            long previous = -1;
            for (int items = 0; items < MAX_ITEMS && c.next(); items++) {
                if (c.offset() <= previous) {
                    throw new IllegalStateException("item offsets go back: " + previous + " then " + c.offset());
                }
                previous = c.offset();
                Optional<ByteView> stored = c.stored();
                if (stored.isPresent()) {
                    if (stored.get().size() != c.size()) {
                        throw new IllegalStateException("stored item of " + c.size() + " bytes has a view of "
                                + stored.get().size());
                    }
                    continue;
                }
                try (InputStream in = c.content()) {
                    long read = in.readNBytes(MAX_READ).length;
                    if (c.size() >= 0 && read != Math.min(c.size(), MAX_READ)) {
                        throw new IllegalStateException("item of " + c.size() + " bytes gave " + read);
                    }
                } catch (IOException expected) {
                    // a damaged item: reported, the walk stops or goes on
                    if (nsis.solid()) {
                        return;
                    }
                }
            }
        } catch (FormatException | IOException expected) {
            // a damaged data block
        }
    }
}
