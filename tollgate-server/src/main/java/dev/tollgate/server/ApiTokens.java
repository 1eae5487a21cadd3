package dev.tollgate.server;

import dev.tollgate.store.Ids;
import dev.tollgate.store.TokenRepository;
import dev.tollgate.store.TokenRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * API tokens: {@code tg_} and 43 characters of base64url (256 random bits), stored only as their SHA-256. A token is
 * found by its hash, so that a lookup costs the same whatever the token, and no stored value lets anyone call the API.
 */
@Service
final class ApiTokens {

    /** What a presented token may look like before it is hashed and looked up. */
    static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._~+/=-]{16,200}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenRepository tokens;
    private final Audit audit;
    private final Clock clock;
    private final TransactionTemplate transaction;

    ApiTokens(TokenRepository tokens, Audit audit, Clock clock, TransactionTemplate transaction) {
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
    }

    /** A token made for {@code caller}: the only time its value exists outside the client. */
    record Issued(TokenRow row, String token) {}

    Issued create(Caller caller, String name, Role role, Optional<Instant> expiresAt) {
        String token = newToken();
        return transaction.execute(status -> {
            TokenRow row = insert(caller.actor(), name, role, token, expiresAt);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("name", name);
            details.put("role", role.label());
            details.put("expiresAt", expiresAt.map(Instant::toString).orElse(null));
            audit.record(caller.actor(), "token.created", "token:" + row.id(), details);
            return new Issued(row, token);
        });
    }

    /** The caller a presented token stands for, when it is known, not revoked and not expired. */
    Optional<Caller> authenticate(String presented) {
        if (presented == null || !SHAPE.matcher(presented).matches()) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        Optional<TokenRow> found = tokens.findByHash(HexFormat.of().formatHex(hash));
        if (found.isEmpty()
                || !MessageDigest.isEqual(
                        hash, HexFormat.of().parseHex(found.get().tokenSha256()))) {
            return Optional.empty();
        }
        TokenRow row = found.get();
        Instant now = clock.instant();
        if (row.revoked() || row.expiresAt().map(e -> !e.isAfter(now)).orElse(false)) {
            return Optional.empty();
        }
        Optional<Role> role = Role.fromLabel(row.role());
        if (role.isEmpty()) {
            return Optional.empty();
        }
        tokens.touch(row.id(), now);
        return Optional.of(Caller.token(row.id(), row.name(), role.get()));
    }

    /**
     * First start (DESIGN.md, "Running it"): when no admin token works, makes one, with {@code configured}'s value when
     * given, else a random one. Returns the random token to show once; empty when nothing was made or the value was
     * configured.
     */
    Optional<String> bootstrap(Optional<String> configured) {
        return transaction.execute(status -> {
            if (tokens.countActiveAdmins(clock.instant()) > 0) {
                return Optional.<String>empty();
            }
            String token = configured.orElseGet(ApiTokens::newToken);
            if (!SHAPE.matcher(token).matches()) {
                throw new IllegalStateException(
                        "TOLLGATE_BOOTSTRAP_TOKEN must be 16 to 200 characters of letters, digits and ._~+/=-");
            }
            TokenRow row = insert(Audit.SYSTEM, "bootstrap", Role.ADMIN, token, Optional.empty());
            audit.record(
                    Audit.SYSTEM,
                    "token.bootstrapped",
                    "token:" + row.id(),
                    Map.of("role", "admin", "source", configured.isPresent() ? "TOLLGATE_BOOTSTRAP_TOKEN" : "random"));
            return configured.isPresent() ? Optional.<String>empty() : Optional.of(token);
        });
    }

    private TokenRow insert(String actor, String name, Role role, String token, Optional<Instant> expiresAt) {
        TokenRow row = new TokenRow(
                Ids.next(),
                name,
                role.label(),
                HexFormat.of().formatHex(sha256(token)),
                actor,
                clock.instant(),
                expiresAt,
                Optional.empty(),
                false);
        tokens.insert(row);
        return row;
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "tg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
