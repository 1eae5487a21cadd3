package dev.tollgate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Webhooks and the log of their delivery attempts. */
public final class WebhookRepository {

    private final JdbcClient jdbc;

    public WebhookRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public void insert(WebhookRow webhook) {
        jdbc.sql("""
                        INSERT INTO webhooks (id, url, secret_ciphertext, format, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(
                        webhook.id(),
                        webhook.url(),
                        webhook.secretCiphertext(),
                        webhook.format(),
                        webhook.createdBy(),
                        Rows.time(webhook.createdAt()))
                .update();
    }

    public Optional<WebhookRow> find(String id) {
        return jdbc.sql("SELECT * FROM webhooks WHERE id = ?")
                .param(id)
                .query(WebhookRepository::webhook)
                .optional();
    }

    public List<WebhookRow> all() {
        return jdbc.sql("SELECT * FROM webhooks ORDER BY id")
                .query(WebhookRepository::webhook)
                .list();
    }

    /** Logs one delivery attempt and its outcome (a status or the failure, never the body or the secret). */
    public void recordAttempt(
            String webhookId, String alertId, int attempt, String outcome, boolean delivered, Instant at) {
        jdbc.sql("""
                        INSERT INTO webhook_deliveries (webhook_id, alert_id, attempt, outcome, delivered, at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(
                        webhookId,
                        alertId,
                        attempt,
                        outcome.length() <= 500 ? outcome : outcome.substring(0, 500),
                        delivered,
                        Rows.time(at))
                .update();
    }

    private static WebhookRow webhook(ResultSet rs, int row) throws SQLException {
        return new WebhookRow(
                rs.getString("id"),
                rs.getString("url"),
                rs.getString("secret_ciphertext"),
                rs.getString("format"),
                rs.getString("created_by"),
                Rows.instant(rs, "created_at"));
    }
}
