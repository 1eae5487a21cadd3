package dev.tollgate.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Passwords: Argon2id hashes (salt 16 bytes, hash 32 bytes, one lane; memory and iterations from
 * {@link IdentitySettings}, chosen so that one hash costs 100-250 ms of one core), and the rules a new password meets:
 * at least {@value #MIN_LENGTH} characters, not the username, not a common password (resources/passwords/README.md).
 */
@Component
final class Passwords {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 256;

    private final Argon2PasswordEncoder encoder;
    private final Set<String> common;
    /** Checked when the username is unknown, so that a login takes as long whether or not the user exists. */
    private final String decoy;

    Passwords(IdentitySettings settings) {
        this.encoder = new Argon2PasswordEncoder(16, 32, 1, settings.argon2MemoryKib(), settings.argon2Iterations());
        this.common = load();
        this.decoy = encoder.encode("decoy password that nobody has");
    }

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return password != null && password.length() <= MAX_LENGTH && encoder.matches(password, hash);
    }

    /** Spends the time of one check, for an unknown username. */
    void burn(String password) {
        encoder.matches(password == null ? "" : password, decoy);
    }

    /** Why {@code password} is refused for {@code username}, when it is. */
    Optional<String> weakness(String username, String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return Optional.of("The password must be at least " + MIN_LENGTH + " characters long.");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("The password must be at most " + MAX_LENGTH + " characters long.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (lower.contains(username.toLowerCase(Locale.ROOT))) {
            return Optional.of("The password must not contain the username.");
        }
        String stem = lower.replaceAll("[0-9\\p{Punct}\\s]+$", "");
        if (common.contains(lower)
                || common.contains(stem)
                || lower.chars().distinct().count() < 4) {
            return Optional.of("The password is too common; choose another (a few unrelated words work well).");
        }
        return Optional.empty();
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>();
        try (InputStream in = Passwords.class.getResourceAsStream("/passwords/common-passwords.txt");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    words.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the list of common passwords is missing from the jar", e);
        }
        return Set.copyOf(words);
    }
}
