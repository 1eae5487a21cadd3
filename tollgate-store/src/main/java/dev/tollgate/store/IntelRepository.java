package dev.tollgate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Intel feeds, their indicators (each stored once, with its first feed and first sighting), and the retro-hunt: the
 * indicators that match stored file facts, found by joins on indexed columns, never by reading blobs.
 */
public final class IntelRepository {

    private static final int BATCH = 1000;

    /** Each indicator type with the join that finds the files it matches; {@code %s} is the scope. */
    private static final List<String> HUNTS = List.of(
            hashHunt("sha256", "sha256"),
            hashHunt("sha1", "sha1"),
            hashHunt("md5", "md5"),
            hashHunt("cert-sha256", "signer_thumbprint"),
            hashHunt("cert-serial", "signer_serial"),
            """
            SELECT f.id AS file_id, f.release_id, f.path, i.id AS indicator_id, i.indicator_type, i.indicator_value,
                   i.feed_id, r.indicator_value AS observed
            FROM intel_indicators i
            JOIN release_file_indicators r ON r.indicator_type = i.indicator_type AND r.indicator_value = i.indicator_value
            JOIN release_files f ON f.id = r.release_file_id
            WHERE i.indicator_type IN ('url', 'ip') AND %s""",
            """
            SELECT f.id AS file_id, f.release_id, f.path, i.id AS indicator_id, i.indicator_type, i.indicator_value,
                   i.feed_id, d.observed
            FROM intel_indicators i
            JOIN release_file_domains d ON d.domain = i.indicator_value
            JOIN release_files f ON f.id = d.release_file_id
            WHERE i.indicator_type = 'domain' AND %s""");

    /** The indicator types each of {@link #HUNTS} matches, in the same order. */
    private static final List<java.util.Set<String>> HUNT_TYPES = List.of(
            java.util.Set.of("sha256"),
            java.util.Set.of("sha1"),
            java.util.Set.of("md5"),
            java.util.Set.of("cert-sha256"),
            java.util.Set.of("cert-serial"),
            java.util.Set.of("url", "ip"),
            java.util.Set.of("domain"));

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    public IntelRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.batch = new JdbcTemplate(dataSource);
    }

    public void insertFeed(IntelFeedRow feed) {
        jdbc.sql("""
                        INSERT INTO intel_feeds (id, name, format, sha256, loaded, skipped, duplicates, created_by,
                                                 created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        feed.id(),
                        feed.name(),
                        feed.format(),
                        feed.sha256(),
                        feed.loaded(),
                        feed.skipped(),
                        feed.duplicates(),
                        feed.createdBy(),
                        Rows.time(feed.createdAt()))
                .update();
    }

    public void updateCounts(String feedId, int loaded, int skipped, int duplicates) {
        jdbc.sql("UPDATE intel_feeds SET loaded = ?, skipped = ?, duplicates = ? WHERE id = ?")
                .params(loaded, skipped, duplicates, feedId)
                .update();
    }

    public Optional<IntelFeedRow> findFeed(String id) {
        return jdbc.sql("SELECT * FROM intel_feeds WHERE id = ?")
                .param(id)
                .query(IntelRepository::feed)
                .optional();
    }

    /** Feeds newest first, before the cursor. */
    public Page<IntelFeedRow> feeds(Optional<String> before, int limit) {
        List<IntelFeedRow> rows = before.isPresent()
                ? jdbc.sql("SELECT * FROM intel_feeds WHERE id < ? ORDER BY id DESC LIMIT ?")
                        .params(before.get(), limit + 1)
                        .query(IntelRepository::feed)
                        .list()
                : jdbc.sql("SELECT * FROM intel_feeds ORDER BY id DESC LIMIT ?")
                        .param(limit + 1)
                        .query(IntelRepository::feed)
                        .list();
        return Page.of(rows, limit, IntelFeedRow::id);
    }

    /** A new indicator: its type label, canonical value and description. */
    public record NewIndicator(String type, String value, String description) {}

    /**
     * Stores the indicators not stored yet under this feed; joins the caller's transaction. Returns how many were new
     * (the rest were already known, from this feed or another).
     */
    public int insertIndicators(String feedId, List<NewIndicator> indicators, Instant at) {
        int inserted = 0;
        var time = Rows.time(at);
        for (int from = 0; from < indicators.size(); from += BATCH) {
            List<Object[]> rows = new ArrayList<>();
            for (NewIndicator i : indicators.subList(from, Math.min(indicators.size(), from + BATCH))) {
                rows.add(new Object[] {feedId, i.type(), i.value(), i.description(), time});
            }
            int[] counts = batch.batchUpdate("""
                    INSERT INTO intel_indicators (feed_id, indicator_type, indicator_value, description, created_at)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", rows);
            for (int c : counts) {
                inserted += Math.max(0, c);
            }
        }
        return inserted;
    }

    /** Every stored file that an indicator first loaded by this feed matches (hashes, signer, URL, IP, domain). */
    public List<IntelHit> huntFeed(String feedId) {
        // only the joins for the types this feed has: a feed of hashes need not touch the domain tables
        java.util.Set<String> types = new java.util.HashSet<>(
                jdbc.sql("SELECT DISTINCT indicator_type FROM intel_indicators WHERE feed_id = ?")
                        .param(feedId)
                        .query(String.class)
                        .list());
        List<IntelHit> hits = new ArrayList<>();
        for (int i = 0; i < HUNTS.size(); i++) {
            if (types.stream().anyMatch(HUNT_TYPES.get(i)::contains)) {
                hits.addAll(hunt(HUNTS.get(i), "i.feed_id = ?", feedId));
            }
        }
        return hits;
    }

    /** Every stored indicator that matches a file of this release. */
    public List<IntelHit> huntRelease(String releaseId) {
        List<IntelHit> hits = new ArrayList<>();
        for (String template : HUNTS) {
            hits.addAll(hunt(template, "f.release_id = ?", releaseId));
        }
        return hits;
    }

    /** The IP network indicators ({@code a.b.c.d/n}) of a feed, or of all feeds when empty. */
    public List<NetworkIndicator> networkIndicators(Optional<String> feedId) {
        String sql = "SELECT id, indicator_value, feed_id FROM intel_indicators WHERE indicator_type = 'ip'"
                + " AND indicator_value LIKE '%/%'" + (feedId.isPresent() ? " AND feed_id = ?" : "");
        var statement = jdbc.sql(sql);
        if (feedId.isPresent()) {
            statement = statement.param(feedId.get());
        }
        return statement
                .query((rs, n) -> new NetworkIndicator(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    /** The IP addresses stored files name: of one release, or of all when empty. */
    public List<StoredAddress> addresses(Optional<String> releaseId) {
        String sql = """
                SELECT f.id, f.release_id, f.path, r.indicator_value FROM release_file_indicators r
                JOIN release_files f ON f.id = r.release_file_id WHERE r.indicator_type = 'ip'""" + (releaseId.isPresent() ? " AND f.release_id = ?" : "");
        var statement = jdbc.sql(sql);
        if (releaseId.isPresent()) {
            statement = statement.param(releaseId.get());
        }
        return statement
                .query((rs, n) -> new StoredAddress(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    /**
     * Records that a file hit an indicator, with the alert raised for it; false (and nothing recorded) when that pair
     * was recorded before. Joins the caller's transaction, which must have inserted the alert.
     */
    public boolean recordHit(String releaseFileId, long indicatorId, String alertId, Instant at) {
        return jdbc.sql("""
                                INSERT INTO intel_hits (release_file_id, indicator_id, alert_id, created_at)
                                VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                        .params(releaseFileId, indicatorId, alertId, Rows.time(at))
                        .update()
                == 1;
    }

    public boolean hitRecorded(String releaseFileId, long indicatorId) {
        return jdbc.sql("SELECT COUNT(*) FROM intel_hits WHERE release_file_id = ? AND indicator_id = ?")
                        .params(releaseFileId, indicatorId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private List<IntelHit> hunt(String template, String scope, String value) {
        return jdbc.sql(template.formatted(scope))
                .param(value)
                .query((rs, n) -> new IntelHit(
                        rs.getString("file_id"),
                        rs.getString("release_id"),
                        rs.getString("path"),
                        rs.getLong("indicator_id"),
                        rs.getString("indicator_type"),
                        rs.getString("indicator_value"),
                        rs.getString("feed_id"),
                        rs.getString("observed")))
                .list();
    }

    private static String hashHunt(String type, String column) {
        return """
                SELECT f.id AS file_id, f.release_id, f.path, i.id AS indicator_id, i.indicator_type, i.indicator_value,
                       i.feed_id, f.%2$s AS observed
                FROM intel_indicators i JOIN release_files f ON f.%2$s = i.indicator_value
                WHERE i.indicator_type = '%1$s' AND %%s""".formatted(type, column);
    }

    private static IntelFeedRow feed(ResultSet rs, int row) throws SQLException {
        return new IntelFeedRow(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("format"),
                rs.getString("sha256"),
                rs.getInt("loaded"),
                rs.getInt("skipped"),
                rs.getInt("duplicates"),
                rs.getString("created_by"),
                Rows.instant(rs, "created_at"));
    }
}
