package dev.tollgate.formats.msi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.ByteView;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bytes after the compound-file structure of an MSI (CVE-2020-1464, "GlueBall"), found by the FAT's extent. */
class MsiAppendedDataTest {

    private static final Path FIXTURES = Path.of("..", "fixtures");

    @ParameterizedTest
    @ValueSource(strings = {"signed.msi", "signed-dse.msi", "signed-tampered-dll.msi"})
    void aPackageAsWrittenHasNoAppendedData(String name) throws Exception {
        MsiPackage msi = MsiPackage.parse(
                ByteView.of(Files.readAllBytes(FIXTURES.resolve("archive").resolve(name))));

        assertThat(msi.appendedData()).isEmpty();
    }

    @Test
    void theBytesAppendedToASignedPackageAreFound() throws Exception {
        byte[] signed = Files.readAllBytes(FIXTURES.resolve("archive/signed.msi"));
        byte[] dll = Files.readAllBytes(FIXTURES.resolve("pe/orbit-sigflip.dll"));
        byte[] glueball = Files.readAllBytes(FIXTURES.resolve("failclosed/signed-glueball.msi"));

        MsiPackage msi = MsiPackage.parse(ByteView.of(glueball));

        assertThat(msi.appendedData()).hasValueSatisfying(v -> {
            assertThat(v.size()).isEqualTo(dll.length);
            assertThat(v.base()).isEqualTo(signed.length);
            assertThat(v.toArray()).isEqualTo(dll);
        });
    }
}
