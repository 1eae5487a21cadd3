package dev.tollgate.formats.asar;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;

/**
 * Fuzzes the asar header parser and the content slicing: the only acceptable failure is {@link FormatException}.
 * Saved inputs in {@code AsarArchiveFuzzTestInputs/} run as regression tests in every build.
 */
class AsarArchiveFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        AsarArchive asar;
        try {
            asar = AsarArchive.parse(ByteView.of(data));
        } catch (FormatException expected) {
            return;
        }
        for (AsarArchive.Node n : asar.nodes()) {
            if (n.kind() == AsarArchive.Kind.FILE && !n.unpacked()) {
                try {
                    ByteView content = asar.content(n);
                    if (content.size() != n.size()) {
                        throw new IllegalStateException("content size differs from the declared size");
                    }
                    if (NpmPackage.isPackageJson(n.path())) {
                        NpmPackage.read(n.path(), content);
                    }
                } catch (FormatException expected) {
                    // a file that lies about its extent
                }
            }
        }
    }
}
