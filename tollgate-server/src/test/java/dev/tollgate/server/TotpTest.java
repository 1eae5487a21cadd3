package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238 appendix B's test vectors (8 digits, keys of 20, 32 and 64 bytes), and our six-digit, one-step window. */
class TotpTest {

    private static final byte[] SHA1_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_KEY = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_KEY =
            "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
        "59, 94287082, 46119246, 90693936",
        "1111111109, 07081804, 68084774, 25091201",
        "1111111111, 14050471, 67062674, 99943326",
        "1234567890, 89005924, 91819424, 93441116",
        "2000000000, 69279037, 90698825, 38618901",
        "20000000000, 65353130, 77737706, 47863826"
    })
    void matchesTheTestVectorsOfRfc6238(long time, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(time));
        assertThat(Totp.code(SHA1_KEY, step, 8, "HmacSHA1")).isEqualTo(sha1);
        assertThat(Totp.code(SHA256_KEY, step, 8, "HmacSHA256")).isEqualTo(sha256);
        assertThat(Totp.code(SHA512_KEY, step, 8, "HmacSHA512")).isEqualTo(sha512);
    }

    @Test
    void sixDigitCodesAreTheLowDigitsOfTheEightDigitOnes() {
        assertThat(Totp.code(SHA1_KEY, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
    }

    @Test
    void acceptsOneStepEitherSideAndNoMore() {
        Instant now = Instant.ofEpochSecond(1_111_111_111);
        long step = Totp.step(now);
        for (int delta = -1; delta <= 1; delta++) {
            assertThat(Totp.match(SHA1_KEY, Totp.code(SHA1_KEY, step + delta), now))
                    .hasValue(step + delta);
        }
        assertThat(Totp.match(SHA1_KEY, Totp.code(SHA1_KEY, step - 2), now)).isEmpty();
        assertThat(Totp.match(SHA1_KEY, Totp.code(SHA1_KEY, step + 2), now)).isEmpty();
        assertThat(Totp.match(SHA1_KEY, "12345", now)).isEmpty();
        assertThat(Totp.match(SHA1_KEY, "abcdef", now)).isEmpty();
    }

    @Test
    void base32FollowsRfc4648() {
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(new String(Totp.fromBase32("MZXW6YTBOI"), StandardCharsets.US_ASCII))
                .isEqualTo("foobar");
        assertThat(Totp.fromBase32(Totp.base32(SHA1_KEY))).isEqualTo(SHA1_KEY);
    }
}
