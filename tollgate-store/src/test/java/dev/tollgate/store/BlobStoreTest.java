package dev.tollgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void storesContentUnderItsSha256OnceAndLeavesNoTemporaryFile() throws Exception {
        BlobStore store = new BlobStore(dir, 0);
        byte[] content = "hello".getBytes(StandardCharsets.US_ASCII);
        BlobStore.Stored first = store.store(new ByteArrayInputStream(content), content.length, 100);
        BlobStore.Stored second = store.store(new ByteArrayInputStream(content), -1, 100);

        assertThat(first.sha256()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(Files.readAllBytes(store.find(first.sha256()).orElseThrow())).isEqualTo(content);
        try (var incoming = Files.list(dir.resolve("incoming"))) {
            assertThat(incoming).isEmpty();
        }
    }

    @Test
    void refusesContentOverTheLimitWhileStreamingAndKeepsNothing() throws Exception {
        BlobStore store = new BlobStore(dir, 0);
        byte[] content = new byte[1000];
        assertThatThrownBy(() -> store.store(new ByteArrayInputStream(content), -1, 999))
                .isInstanceOf(BlobTooLargeException.class);
        assertThatThrownBy(() -> store.store(new ByteArrayInputStream(content), 1000, 999))
                .isInstanceOf(BlobTooLargeException.class);
        try (var incoming = Files.list(dir.resolve("incoming"))) {
            assertThat(incoming).isEmpty();
        }
    }

    @Test
    void refusesAnUploadTheDiskCannotHoldWithItsReserve() throws Exception {
        BlobStore store = new BlobStore(dir, Long.MAX_VALUE / 2);
        assertThatThrownBy(() -> store.store(new ByteArrayInputStream(new byte[10]), 10, 100))
                .isInstanceOf(InsufficientStorageException.class);
    }
}
