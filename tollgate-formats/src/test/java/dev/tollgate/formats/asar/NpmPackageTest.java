package dev.tollgate.formats.asar;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpmPackageTest {

    @ParameterizedTest
    @CsvSource({
        "package.json, false, true",
        "package/package.json, false, true",
        "node_modules/ws/package.json, false, true",
        "app/node_modules/ws/package.json, false, true",
        "node_modules/@scope/name/package.json, false, true",
        "node_modules/a/node_modules/b/package.json, false, true",
        "node_modules/ws/lib/package.json, false, false",
        "node_modules/@scope/package.json, false, false",
        "node_modules/package.json, false, false",
        "node_modules/@/x/package.json, false, false",
        "src/templates/package.json, false, false",
        "src/templates/package.json, true, true",
        "package.jsonx, true, false",
        "my-package.json, true, false",
    })
    void takesOnlyManifestsOfPackagesOutsideAnAppArchive(String path, boolean anywhere, boolean expected) {
        assertThat(NpmPackage.isPackageManifest(path, anywhere)).isEqualTo(expected);
    }
}
