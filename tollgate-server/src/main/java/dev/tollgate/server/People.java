package dev.tollgate.server;

import dev.tollgate.store.Ids;
import dev.tollgate.store.UserRepository;
import dev.tollgate.store.UserRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * People: users made by an admin, their password (Argon2id) and TOTP second factor, one-time recovery codes, and the
 * lockout of an account after {@link IdentitySettings#maxFailures()} failed logins. Every login, failed login,
 * enrolment and change goes to the audit log; no password, secret or code ever does.
 */
@Service
final class People {

    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    static final int RECOVERY_CODES = 10;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserRepository users;
    private final Passwords passwords;
    private final SecretBox box;
    private final LoginThrottle throttle;
    private final IdentitySettings settings;
    private final Audit audit;
    private final Clock clock;
    private final TransactionTemplate transaction;

    People(
            UserRepository users,
            Passwords passwords,
            SecretBox box,
            LoginThrottle throttle,
            IdentitySettings settings,
            Audit audit,
            Clock clock,
            TransactionTemplate transaction) {
        this.users = users;
        this.passwords = passwords;
        this.box = box;
        this.throttle = throttle;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
    }

    UserRow create(Caller caller, Api.CreateUser request) {
        if (request == null) {
            throw ProblemException.badRequest(
                    "The request body is required: {\"username\": ..., \"password\": ..., \"roles\": [...]}.");
        }
        String username = request.username() == null ? "" : request.username();
        if (!USERNAME.matcher(username).matches()) {
            throw ProblemException.badRequest("The field 'username' must be 2 to 64 characters: lower-case letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit.");
        }
        passwords.weakness(username, request.password()).ifPresent(reason -> {
            throw ProblemException.badRequest(reason);
        });
        if (request.roles() == null || request.roles().isEmpty()) {
            throw ProblemException.badRequest("The field 'roles' must name at least one role.");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String label : request.roles()) {
            roles.add(Role.fromLabel(label)
                    .orElseThrow(() -> ProblemException.badRequest(
                            "The field 'roles' may hold only admin, approver, analyst, auditor, submitter.")));
        }
        List<String> labels = roles.stream().map(Role::label).toList();
        String hash = passwords.hash(request.password());
        UserRow row = new UserRow(
                Ids.next(),
                username,
                hash,
                labels,
                Optional.empty(),
                false,
                0,
                0,
                Optional.empty(),
                caller.actor(),
                clock.instant());
        try {
            transaction.executeWithoutResult(status -> {
                users.insert(row);
                audit.record(
                        caller.actor(),
                        "user.created",
                        "user:" + row.id(),
                        Map.of("username", username, "roles", labels));
            });
        } catch (DuplicateKeyException e) {
            throw ProblemException.conflict("A user named '" + username + "' exists already.");
        }
        return row;
    }

    Optional<UserRow> find(String id) {
        return users.find(id);
    }

    /** Why a login step was refused, in words fit for the login page. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The first factor: the user whose password this is; else {@link Refused}, with the failure counted. */
    UserRow checkPassword(String username, String password, String address) {
        if (throttle.refuses(address)) {
            audit.record("anonymous", "login.failed", "address:" + address, Map.of("reason", "address-throttled"));
            throw new Refused("Too many failed logins from your address; wait a while and try again.");
        }
        Optional<UserRow> found = username == null ? Optional.empty() : users.findByUsername(username);
        if (found.isEmpty()) {
            passwords.burn(password);
            throttle.failed(address);
            audit.record(
                    "anonymous",
                    "login.failed",
                    "username:" + truncate(username),
                    Map.of("reason", "unknown-user", "address", address));
            throw wrong();
        }
        UserRow user = found.get();
        if (locked(user)) {
            throttle.failed(address);
            audit.record(
                    "user:" + user.id(),
                    "login.failed",
                    "user:" + user.id(),
                    Map.of("reason", "locked", "address", address));
            throw wrong();
        }
        if (!passwords.matches(password, user.passwordHash())) {
            fail(user, "wrong-password", address);
            throw wrong();
        }
        return user;
    }

    /**
     * The second factor: a TOTP code of a step not used before, or an unused recovery code. True when accepted (the
     * failure count then resets); false when refused (and counted). A locked account is refused whatever the code.
     */
    boolean checkCode(String userId, String code, String address, String purpose) {
        if (throttle.refuses(address)) {
            audit.record("user:" + userId, "login.failed", "user:" + userId, Map.of("reason", "address-throttled"));
            return false;
        }
        Boolean ok = transaction.execute(status -> {
            UserRow user = users.lockForUpdate(userId).orElseThrow(People::wrong);
            if (locked(user) || user.totpSecretCiphertext().isEmpty()) {
                fail(user, locked(user) ? "locked" : "not-enrolled", address);
                return false;
            }
            String presented = code == null ? "" : code.strip();
            boolean accepted;
            if (presented.matches("[0-9]{6}")) {
                byte[] key = secret(user);
                OptionalLong step = Totp.match(key, presented, clock.instant());
                accepted = step.isPresent() && users.useStep(userId, step.getAsLong());
            } else {
                String normal = presented.replace("-", "").toUpperCase(Locale.ROOT);
                accepted = normal.matches("[A-Z2-7]{10}")
                        && users.useRecoveryCode(userId, sha256(normal), clock.instant());
                if (accepted) {
                    audit.record("user:" + userId, "mfa.recovery-code-used", "user:" + userId, Map.of());
                }
            }
            if (!accepted) {
                fail(user, "wrong-code", address);
                return false;
            }
            users.clearFailures(userId);
            audit.record(
                    "user:" + userId,
                    purpose,
                    "user:" + userId,
                    Map.of("username", user.username(), "address", address));
            return true;
        });
        return Boolean.TRUE.equals(ok);
    }

    /** The secret to show at enrolment (base32), made and stored sealed on first call; refused once enrolled. */
    String enrolmentSecret(String userId) {
        return transaction.execute(status -> {
            UserRow user = users.lockForUpdate(userId).orElseThrow(People::wrong);
            if (user.totpEnrolled()) {
                throw new Refused("A second factor is enrolled already.");
            }
            if (user.totpSecretCiphertext().isPresent()) {
                return Totp.base32(secret(user));
            }
            byte[] fresh = new byte[Totp.SECRET_BYTES];
            RANDOM.nextBytes(fresh);
            String base32 = Totp.base32(fresh);
            users.setTotpSecret(userId, box.seal(base32, context(userId)));
            return base32;
        });
    }

    /** Confirms enrolment with a first code; returns the recovery codes to show once, or empty when refused. */
    Optional<List<String>> confirmEnrolment(String userId, String code, String address) {
        UserRow user = users.find(userId).orElseThrow(People::wrong);
        if (user.totpEnrolled()) {
            throw new Refused("A second factor is enrolled already.");
        }
        if (!checkCode(userId, code, address, "login")) {
            return Optional.empty();
        }
        return Optional.ofNullable(transaction.execute(status -> {
            users.markEnrolled(userId);
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < RECOVERY_CODES; i++) {
                byte[] bytes = new byte[7];
                RANDOM.nextBytes(bytes);
                String raw = Totp.base32(bytes).substring(0, 10);
                users.insertRecoveryCode(Ids.next(), userId, sha256(raw));
                codes.add(raw.substring(0, 5) + "-" + raw.substring(5));
            }
            audit.record(
                    "user:" + userId,
                    "mfa.enrolled",
                    "user:" + userId,
                    Map.of("factor", "totp", "recoveryCodes", RECOVERY_CODES));
            return codes;
        }));
    }

    void loggedOut(String userId) {
        audit.record("user:" + userId, "logout", "user:" + userId, Map.of());
    }

    static Set<Role> roles(UserRow user) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        user.roles().forEach(label -> Role.fromLabel(label).ifPresent(roles::add));
        return roles;
    }

    private boolean locked(UserRow user) {
        return user.lockedUntil().map(until -> until.isAfter(clock.instant())).orElse(false);
    }

    private void fail(UserRow user, String reason, String address) {
        throttle.failed(address);
        int failures = user.failedLogins() + 1;
        Optional<Instant> lockedUntil = user.lockedUntil();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("address", address);
        details.put("failures", failures);
        if (failures >= settings.maxFailures() && !locked(user)) {
            lockedUntil = Optional.of(clock.instant().plus(settings.lockout()));
            failures = 0;
            details.put("lockedUntil", lockedUntil.get().toString());
        }
        users.recordFailure(user.id(), failures, lockedUntil);
        audit.record("user:" + user.id(), "login.failed", "user:" + user.id(), details);
    }

    private byte[] secret(UserRow user) {
        return Totp.fromBase32(box.open(user.totpSecretCiphertext().orElseThrow(), context(user.id())));
    }

    private static String context(String userId) {
        return "totp:" + userId;
    }

    private static Refused wrong() {
        return new Refused("Wrong username, password or code, or the account is locked for a while.");
    }

    private static String truncate(String value) {
        String v = value == null ? "" : value.replaceAll("[^\\x21-\\x7e]", "_");
        return v.length() > 64 ? v.substring(0, 64) : v;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
