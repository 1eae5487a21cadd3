package dev.tollgate.engine;

import static dev.tollgate.engine.DigestStream.Algorithm.SHA_256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.model.Hashes;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FileDigestsTest {

    @Test
    void libcryptoLoadsOnThisMachine() {
        // .ci/run installs libssl3; a scan that silently fell back to the JDK would only be slower, so say it here.
        assertThat(Libcrypto.problem()).isEmpty();
        assertThat(Libcrypto.version()).startsWith("OpenSSL 3.");
    }

    @Test
    void libcryptoAndTheJdkAgreeOnRandomStreamsFedInRandomPieces() {
        SplittableRandom random = new SplittableRandom(20261123);
        try (FileDigests openssl = FileDigests.separate(true);
                FileDigests jdk = FileDigests.separate(false)) {
            for (int stream = 0; stream < 300; stream++) {
                byte[] bytes = new byte[random.nextInt(stream < 100 ? 200 : 300_000)];
                random.nextBytes(bytes);
                for (int at = 0; at < bytes.length; ) {
                    int piece = Math.min(bytes.length - at, random.nextInt(1, 70_000));
                    if (random.nextInt(10) == 0) {
                        openssl.update(bytes, at, 0); // an empty piece changes nothing
                    }
                    openssl.update(bytes, at, piece);
                    jdk.update(bytes, at, piece);
                    at += piece;
                }
                // Both are reused: finish must also start the next stream afresh.
                assertThat(openssl.finish())
                        .as("stream %d of %d bytes", stream, bytes.length)
                        .isEqualTo(jdk.finish());
            }
        }
    }

    @Test
    void oneShotSha256AgreesWithTheJdkAndTheStreamingDigests() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, 1 << 20}) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            try (FileDigests openssl = FileDigests.separate(true)) {
                openssl.update(bytes, 0, n);

                assertThat(DigestStream.hex(SHA_256, bytes, true))
                        .as("%d bytes", n)
                        .isEqualTo(DigestStream.hex(SHA_256, bytes, false))
                        .isEqualTo(openssl.finish().sha256());
            }
        }
        assertThat(DigestStream.hex(SHA_256, "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void sha256StreamAgreesWithTheJdkAndStartsAgainAfterEachDigest() {
        SplittableRandom random = new SplittableRandom(11);
        try (DigestStream stream = DigestStream.create(SHA_256, true)) {
            for (int n : new int[] {0, 3, 64, 100_000, 0}) {
                byte[] bytes = new byte[n];
                random.nextBytes(bytes);
                for (int at = 0; at < n; ) {
                    int piece = Math.min(n - at, random.nextInt(1, 9000));
                    stream.update(bytes, at, piece);
                    at += piece;
                }

                assertThat(stream.finishHex()).as("%d bytes", n).isEqualTo(DigestStream.hex(SHA_256, bytes, false));
            }
        }
        DigestStream closed = DigestStream.create(SHA_256, true);
        closed.close();
        assertThatThrownBy(() -> closed.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void buffersAreDigestedFromTheirPositionToTheirLimitAndConsumed() {
        SplittableRandom random = new SplittableRandom(13);
        byte[] bytes = new byte[300_000];
        random.nextBytes(bytes);
        String expected = DigestStream.hex(SHA_256, java.util.Arrays.copyOfRange(bytes, 10, 250_010), false);
        for (boolean libcrypto : new boolean[] {true, false}) {
            for (ByteBuffer buffer :
                    new ByteBuffer[] {ByteBuffer.allocateDirect(bytes.length), ByteBuffer.allocate(bytes.length)}) {
                buffer.put(bytes).flip();
                try (DigestStream stream = DigestStream.create(SHA_256, libcrypto)) {
                    buffer.position(10).limit(100_010);
                    stream.update(buffer);
                    assertThat(buffer.hasRemaining()).isFalse();
                    buffer.limit(250_010);
                    stream.update(buffer);

                    assertThat(stream.finishHex())
                            .as("libcrypto %s, direct %s", libcrypto, buffer.isDirect())
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void emptyStreamHasTheWellKnownDigests() {
        try (FileDigests openssl = FileDigests.separate(true)) {
            assertThat(openssl.finish())
                    .isEqualTo(new Hashes(
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
                            "d41d8cd98f00b204e9800998ecf8427e"));
        }
    }

    @Test
    void piecesOutsideTheArrayAreRefusedBeforeReachingNativeCode() {
        byte[] bytes = new byte[16];
        try (FileDigests openssl = FileDigests.separate(true)) {
            assertThatThrownBy(() -> openssl.update(bytes, 8, 9)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> openssl.update(bytes, -1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> openssl.update(bytes, 4, -1)).isInstanceOf(IndexOutOfBoundsException.class);
            openssl.update(bytes, 0, 16);
            assertThat(openssl.finish().md5()).isEqualTo("4ae71336e44bf9bf79d2752e234818a5"); // md5 of 16 zero bytes
        }
    }

    @Test
    void closedDigestsRefuseWorkInsteadOfTouchingFreedMemory() {
        FileDigests openssl = FileDigests.separate(true);
        openssl.close();
        openssl.close(); // twice is harmless

        assertThatThrownBy(() -> openssl.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(openssl::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void missingLibraryIsNamedWithTheInstallHint() {
        assertThatThrownBy(() -> Libcrypto.bind("libcrypto-that-is-not-here.so.9"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("libcrypto-that-is-not-here.so.9 not found")
                .hasMessageContaining("apt-get install libssl3");
    }

    @Test
    void aLibraryWithoutTheFunctionsIsRefused() {
        // libc loads, but has no EVP functions.
        assertThatThrownBy(() -> Libcrypto.bind("libc.so.6"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no EVP_MD_fetch");
    }

    @Test
    void unknownImplementationNameIsAClearError() {
        String before = System.getProperty(DigestStream.PROPERTY);
        System.setProperty(DigestStream.PROPERTY, "fast\nplease");
        try {
            assertThatThrownBy(FileDigests::create)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("tollgate.digests must be fused, openssl, jdk or auto, not \"fast?please\"");
        } finally {
            if (before == null) {
                System.clearProperty(DigestStream.PROPERTY);
            } else {
                System.setProperty(DigestStream.PROPERTY, before);
            }
        }
    }
}
