package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleaseIntakeTest {

    @Test
    void anUploadedFileNameIsReducedToASafeBaseName() {
        assertThat(ReleaseIntake.fileName("OrbitPhone-1.1.0.zip")).isEqualTo("OrbitPhone-1.1.0.zip");
        assertThat(ReleaseIntake.fileName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(ReleaseIntake.fileName("C:\\Users\\x\\setup.msi")).isEqualTo("setup.msi");
        assertThat(ReleaseIntake.fileName("..")).isEqualTo("release");
        assertThat(ReleaseIntake.fileName(".hidden")).isEqualTo("hidden");
        assertThat(ReleaseIntake.fileName("a b;$(x).zip")).isEqualTo("a_b___x_.zip");
        assertThat(ReleaseIntake.fileName(null)).isEqualTo("release");
        assertThat(ReleaseIntake.fileName("x".repeat(1000))).hasSize(200);
    }
}
