package dev.tollgate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** People and their one-time recovery codes. */
public final class UserRepository {

    private final JdbcClient jdbc;

    public UserRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the username is taken */
    public void insert(UserRow user) {
        jdbc.sql("""
                        INSERT INTO users (id, username, password_hash, roles, totp_secret_ciphertext, totp_enrolled,
                                           totp_last_step, failed_logins, locked_until, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        user.id(),
                        user.username(),
                        user.passwordHash(),
                        String.join(",", user.roles()),
                        user.totpSecretCiphertext().orElse(null),
                        user.totpEnrolled(),
                        user.totpLastStep(),
                        user.failedLogins(),
                        user.lockedUntil().map(Rows::time).orElse(null),
                        user.createdBy(),
                        Rows.time(user.createdAt()))
                .update();
    }

    public Optional<UserRow> findByUsername(String username) {
        return jdbc.sql("SELECT * FROM users WHERE username = ?")
                .param(username)
                .query(UserRepository::row)
                .optional();
    }

    public Optional<UserRow> find(String id) {
        return jdbc.sql("SELECT * FROM users WHERE id = ?")
                .param(id)
                .query(UserRepository::row)
                .optional();
    }

    /** The row, locked until the transaction ends: login attempts on one account serialize on it. */
    public Optional<UserRow> lockForUpdate(String id) {
        return jdbc.sql("SELECT * FROM users WHERE id = ? FOR UPDATE")
                .param(id)
                .query(UserRepository::row)
                .optional();
    }

    public void setTotpSecret(String id, String ciphertext) {
        jdbc.sql("UPDATE users SET totp_secret_ciphertext = ? WHERE id = ? AND totp_enrolled = FALSE")
                .params(ciphertext, id)
                .update();
    }

    public void markEnrolled(String id) {
        jdbc.sql("UPDATE users SET totp_enrolled = TRUE WHERE id = ?").param(id).update();
    }

    /** Records the step of a code just accepted; false when that step (or a later one) was used already. */
    public boolean useStep(String id, long step) {
        return jdbc.sql("UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?")
                        .params(step, id, step)
                        .update()
                == 1;
    }

    public void recordFailure(String id, int failedLogins, Optional<Instant> lockedUntil) {
        jdbc.sql("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?")
                .params(failedLogins, lockedUntil.map(Rows::time).orElse(null), id)
                .update();
    }

    public void clearFailures(String id) {
        jdbc.sql("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?")
                .param(id)
                .update();
    }

    public void insertRecoveryCode(String id, String userId, String codeSha256) {
        jdbc.sql("INSERT INTO recovery_codes (id, user_id, code_sha256) VALUES (?, ?, ?)")
                .params(id, userId, codeSha256)
                .update();
    }

    /** Marks an unused recovery code used; false when there is no such unused code. */
    public boolean useRecoveryCode(String userId, String codeSha256, Instant at) {
        return jdbc.sql("""
                                UPDATE recovery_codes SET used_at = ?
                                WHERE user_id = ? AND code_sha256 = ? AND used_at IS NULL""").params(Rows.time(at), userId, codeSha256).update() == 1;
    }

    private static UserRow row(ResultSet rs, int n) throws SQLException {
        return new UserRow(
                rs.getString("id"),
                rs.getString("username"),
                rs.getString("password_hash"),
                Arrays.stream(rs.getString("roles").split(","))
                        .filter(s -> !s.isEmpty())
                        .toList(),
                Rows.optionalString(rs, "totp_secret_ciphertext"),
                rs.getBoolean("totp_enrolled"),
                rs.getLong("totp_last_step"),
                rs.getInt("failed_logins"),
                Rows.optionalInstant(rs, "locked_until"),
                rs.getString("created_by"),
                Rows.instant(rs, "created_at"));
    }
}
