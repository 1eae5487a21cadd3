package dev.tollgate.formats.asar;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;

/**
 * Fuzzes the package.json reader and the manifest path rule: no input may throw, and what is recorded is always a
 * bounded, printable name and version.
 */
class NpmPackageFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void read(FuzzedDataProvider in) {
        String path = in.consumeString(300);
        byte[] json = in.consumeRemainingAsBytes();
        NpmPackage.isPackageManifest(path, false);
        NpmPackage.read(path, ByteView.of(json)).ifPresent(p -> {
            if (p.name().length() > NpmPackage.MAX_NAME
                    || p.version().length() > NpmPackage.MAX_VERSION
                    || p.name().chars().anyMatch(Character::isISOControl)) {
                throw new IllegalStateException("implausible package recorded: " + p);
            }
        });
    }
}
