package dev.tollgate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** API tokens, found by the SHA-256 of the token presented. */
public final class TokenRepository {

    /** last_used_at is a hint for people, not a log: one write a minute per token is enough. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final JdbcClient jdbc;

    public TokenRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** @throws org.springframework.dao.DuplicateKeyException when a token with that hash exists */
    public void insert(TokenRow token) {
        jdbc.sql("""
                        INSERT INTO api_tokens (id, name, role, token_sha256, created_by, created_at, expires_at, revoked)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        token.id(),
                        token.name(),
                        token.role(),
                        token.tokenSha256(),
                        token.createdBy(),
                        Rows.time(token.createdAt()),
                        token.expiresAt().map(Rows::time).orElse(null),
                        token.revoked())
                .update();
    }

    /** The token with this id, whatever its state. */
    public Optional<TokenRow> find(String id) {
        return jdbc.sql("SELECT * FROM api_tokens WHERE id = ?")
                .param(id)
                .query(TokenRepository::token)
                .optional();
    }

    /** The token with this hash, whatever its state: the caller checks expiry and revocation. */
    public Optional<TokenRow> findByHash(String tokenSha256) {
        return jdbc.sql("SELECT * FROM api_tokens WHERE token_sha256 = ?")
                .param(tokenSha256)
                .query(TokenRepository::token)
                .optional();
    }

    /** Records a use, at most once a minute per token. */
    public void touch(String id, Instant at) {
        jdbc.sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
                .params(Rows.time(at), id, Rows.time(at.minus(TOUCH_INTERVAL)))
                .update();
    }

    public boolean revoke(String id) {
        return jdbc.sql("UPDATE api_tokens SET revoked = TRUE WHERE id = ?")
                        .param(id)
                        .update()
                == 1;
    }

    /** Tokens of the admin role that still work at {@code now}. */
    public long countActiveAdmins(Instant now) {
        return jdbc.sql("""
                        SELECT COUNT(*) FROM api_tokens
                        WHERE role = 'admin' AND revoked = FALSE AND (expires_at IS NULL OR expires_at > ?)""").param(Rows.time(now)).query(Long.class).single();
    }

    private static TokenRow token(ResultSet rs, int row) throws SQLException {
        return new TokenRow(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("role"),
                rs.getString("token_sha256"),
                rs.getString("created_by"),
                Rows.instant(rs, "created_at"),
                Rows.optionalInstant(rs, "expires_at"),
                Rows.optionalInstant(rs, "last_used_at"),
                rs.getBoolean("revoked"));
    }
}
