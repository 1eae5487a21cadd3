package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    @TempDir
    Path dir;

    @Test
    void sealsWithAKeyFileOnlyItsOwnerReadsAndOpensOnlyInTheSameContext() throws Exception {
        Path keyFile = dir.resolve("keys/secret.key");
        SecretBox box = new SecretBox(keyFile);
        String sealed = box.seal("hunter2", "webhook:1");

        assertThat(sealed).startsWith("v1:").doesNotContain("hunter2");
        assertThat(new SecretBox(keyFile).open(sealed, "webhook:1")).isEqualTo("hunter2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        assertThatThrownBy(() -> box.open(sealed, "webhook:2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretBox(dir.resolve("other.key")).open(sealed, "webhook:1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
