package dev.tollgate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Alerts, newest first. */
public final class AlertRepository {

    private final JdbcClient jdbc;

    public AlertRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public void insert(AlertRow alert) {
        jdbc.sql("""
                        INSERT INTO alerts (id, code, severity, status, release_id, host_id, path, indicator, message,
                                            created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        alert.id(),
                        alert.code(),
                        alert.severity(),
                        alert.status(),
                        alert.releaseId().orElse(null),
                        alert.hostId().orElse(null),
                        alert.path().orElse(null),
                        alert.indicator().orElse(null),
                        alert.message(),
                        Rows.time(alert.createdAt()))
                .update();
    }

    public Optional<AlertRow> find(String id) {
        return jdbc.sql("SELECT * FROM alerts WHERE id = ?")
                .param(id)
                .query(AlertRepository::alert)
                .optional();
    }

    /** Alerts newest first, before the cursor (the last id of the previous page). */
    public Page<AlertRow> page(Optional<String> before, int limit) {
        List<AlertRow> rows = before.isPresent()
                ? jdbc.sql("SELECT * FROM alerts WHERE id < ? ORDER BY id DESC LIMIT ?")
                        .params(before.get(), limit + 1)
                        .query(AlertRepository::alert)
                        .list()
                : jdbc.sql("SELECT * FROM alerts ORDER BY id DESC LIMIT ?")
                        .param(limit + 1)
                        .query(AlertRepository::alert)
                        .list();
        return Page.of(rows, limit, AlertRow::id);
    }

    /**
     * Alerts newest first, before the cursor, with only those of this code, severity and status when given (values
     * are bound, never spliced into the SQL).
     */
    public Page<AlertRow> page(
            Optional<String> code,
            Optional<String> severity,
            Optional<String> status,
            Optional<String> before,
            int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM alerts WHERE 1 = 1");
        List<Object> params = new java.util.ArrayList<>();
        code.ifPresent(c -> {
            sql.append(" AND code = ?");
            params.add(c);
        });
        severity.ifPresent(s -> {
            sql.append(" AND severity = ?");
            params.add(s);
        });
        status.ifPresent(s -> {
            sql.append(" AND status = ?");
            params.add(s);
        });
        before.ifPresent(b -> {
            sql.append(" AND id < ?");
            params.add(b);
        });
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(limit + 1);
        List<AlertRow> rows = jdbc.sql(sql.toString())
                .params(params)
                .query(AlertRepository::alert)
                .list();
        return Page.of(rows, limit, AlertRow::id);
    }

    /** Removes an alert inserted in the caller's transaction that turned out to be a duplicate. */
    public void delete(String id) {
        jdbc.sql("DELETE FROM alerts WHERE id = ?").param(id).update();
    }

    /** Acknowledges an open alert; false when it was already acknowledged (or does not exist). */
    public boolean acknowledge(String id, String actor, Instant at) {
        return jdbc.sql("""
                                UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?
                                WHERE id = ? AND status = 'open'""").params(actor, Rows.time(at), id).update() == 1;
    }

    private static AlertRow alert(ResultSet rs, int row) throws SQLException {
        return new AlertRow(
                rs.getString("id"),
                rs.getString("code"),
                rs.getString("severity"),
                rs.getString("status"),
                Rows.optionalString(rs, "release_id"),
                Rows.optionalString(rs, "host_id"),
                Rows.optionalString(rs, "path"),
                Rows.optionalString(rs, "indicator"),
                rs.getString("message"),
                Rows.instant(rs, "created_at"),
                Rows.optionalString(rs, "acknowledged_by"),
                Rows.optionalInstant(rs, "acknowledged_at"));
    }
}
