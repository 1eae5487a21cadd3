package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {

    private final Passwords passwords = new Passwords(new IdentitySettings(
            java.time.Duration.ofMinutes(5),
            java.time.Duration.ofHours(12),
            5,
            java.time.Duration.ofMinutes(15),
            30,
            java.time.Duration.ofMinutes(15),
            8192,
            1));

    @Test
    void refusesShortCommonPaddedAndUsernamePasswords() {
        assertThat(passwords.weakness("alice", "short-pass"))
                .hasValueSatisfying(r -> assertThat(r).contains("at least 12"));
        assertThat(passwords.weakness("alice", "password1234"))
                .hasValueSatisfying(r -> assertThat(r).contains("too common"));
        assertThat(passwords.weakness("alice", "Sunshine2024!!"))
                .hasValueSatisfying(r -> assertThat(r).contains("too common"));
        assertThat(passwords.weakness("alice", "aaaaaaaaaaaaaaaa")).isPresent();
        assertThat(passwords.weakness("alice", "alice-is-my-name"))
                .hasValueSatisfying(r -> assertThat(r).contains("username"));
        assertThat(passwords.weakness("alice", "violet tractor quietly")).isEmpty();
    }

    @Test
    void hashesWithArgon2idAndVerifies() {
        String hash = passwords.hash("violet tractor quietly");
        assertThat(hash).startsWith("$argon2id$");
        assertThat(passwords.matches("violet tractor quietly", hash)).isTrue();
        assertThat(passwords.matches("violet tractor quietli", hash)).isFalse();
    }
}
