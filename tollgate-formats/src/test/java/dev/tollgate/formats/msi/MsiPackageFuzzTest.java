package dev.tollgate.formats.msi;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;

/**
 * Fuzzes the compound file reader and the MSI tables: parse, list files, cabinets, custom actions and streams, and
 * compute the signature digests. The only acceptable failure is {@link FormatException}. Saved inputs in
 * {@code MsiPackageFuzzTestInputs/} run as regression tests in every build.
 */
class MsiPackageFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        try {
            MsiPackage msi = MsiPackage.parse(ByteView.of(data));
            msi.installPaths();
            msi.customActions().forEach(a -> a.description().length());
            for (MsiPackage.Cabinet c : msi.cabinets()) {
                if (c.embedded()) {
                    sameWhenStreamed(msi.cabinet(c, 1 << 20), () -> msi.openCabinet(c, 1 << 20));
                }
            }
            for (MsiPackage.Stream s : msi.otherStreams()) {
                sameWhenStreamed(msi.stream(s.name(), 1 << 20).orElseThrow(), () -> msi.openStream(s.name(), 1 << 20)
                        .orElseThrow());
            }
            msi.digitalSignature();
            msi.authenticodeDigest("SHA-256", true);
        } catch (FormatException expected) {
            // hostile input, reported with its offset
        }
    }

    interface Opener {
        java.io.InputStream open() throws FormatException;
    }

    /** A stream read sector by sector must give exactly the bytes of a whole read, or fail as a whole read would. */
    private static void sameWhenStreamed(byte[] whole, Opener opener) throws FormatException {
        byte[] streamed;
        try (java.io.InputStream in = opener.open()) {
            streamed = in.readAllBytes();
        } catch (java.io.IOException e) {
            if (e.getCause() instanceof FormatException f) {
                throw new IllegalStateException("the whole read succeeded but the streamed one failed: " + f, f);
            }
            throw new IllegalStateException(e);
        }
        if (!java.util.Arrays.equals(whole, streamed)) {
            throw new IllegalStateException(
                    "streamed " + streamed.length + " bytes differ from the whole read of " + whole.length);
        }
    }
}
