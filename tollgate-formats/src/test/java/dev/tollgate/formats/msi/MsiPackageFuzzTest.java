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
                    msi.cabinet(c, 1 << 20);
                }
            }
            for (MsiPackage.Stream s : msi.otherStreams()) {
                msi.stream(s.name(), 1 << 20);
            }
            msi.digitalSignature();
            msi.authenticodeDigest("SHA-256", true);
        } catch (FormatException expected) {
            // hostile input, reported with its offset
        }
    }
}
