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

/** Releases, their findings and the per-file facts of their reports. */
public final class ReleaseRepository {

    private static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    public ReleaseRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.batch = new JdbcTemplate(dataSource);
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the product already has that version */
    public void insert(ReleaseRow release) {
        jdbc.sql("""
                        INSERT INTO releases (id, product_id, version, file_name, blob_sha256, size_bytes, status, approval,
                                              submitted_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        release.id(),
                        release.productId(),
                        release.version(),
                        release.fileName(),
                        release.blobSha256(),
                        release.sizeBytes(),
                        release.status().label(),
                        release.approval().label(),
                        release.submittedBy(),
                        Rows.time(release.createdAt()))
                .update();
    }

    public Optional<ReleaseRow> find(String id) {
        return jdbc.sql("SELECT * FROM releases WHERE id = ?")
                .param(id)
                .query(ReleaseRepository::release)
                .optional();
    }

    /** The release, its row locked until the caller's transaction ends: decisions on one release go one at a time. */
    public Optional<ReleaseRow> lockForUpdate(String id) {
        return jdbc.sql("SELECT * FROM releases WHERE id = ? FOR UPDATE")
                .param(id)
                .query(ReleaseRepository::release)
                .optional();
    }

    public Optional<ReleaseRow> findByVersion(String productId, String version) {
        return jdbc.sql("SELECT * FROM releases WHERE product_id = ? AND version = ?")
                .params(productId, version)
                .query(ReleaseRepository::release)
                .optional();
    }

    /** A product's releases, newest first, before the cursor (the last id of the previous page). */
    public Page<ReleaseRow> page(String productId, Optional<String> before, int limit) {
        List<ReleaseRow> rows = before.isPresent()
                ? jdbc.sql("SELECT * FROM releases WHERE product_id = ? AND id < ? ORDER BY id DESC LIMIT ?")
                        .params(productId, before.get(), limit + 1)
                        .query(ReleaseRepository::release)
                        .list()
                : jdbc.sql("SELECT * FROM releases WHERE product_id = ? ORDER BY id DESC LIMIT ?")
                        .params(productId, limit + 1)
                        .query(ReleaseRepository::release)
                        .list();
        return Page.of(rows, limit, ReleaseRow::id);
    }

    /** The newest approved release of the product other than {@code excluding}: the baseline of the next diff. */
    public Optional<ReleaseRow> latestApproved(String productId, String excluding) {
        return jdbc.sql("""
                        SELECT * FROM releases WHERE product_id = ? AND approval = 'approved' AND id <> ?
                        ORDER BY id DESC LIMIT 1""")
                .params(productId, excluding)
                .query(ReleaseRepository::release)
                .optional();
    }

    public void markAnalysing(String id, Instant at) {
        jdbc.sql(
                        "UPDATE releases SET status = 'analysing', started_at = ? WHERE id = ? AND status IN ('queued', 'analysing')")
                .params(Rows.time(at), id)
                .update();
    }

    /** Puts a release back in the queue's state after a failed attempt that will be retried. */
    public void markQueued(String id) {
        jdbc.sql("UPDATE releases SET status = 'queued' WHERE id = ? AND status = 'analysing'")
                .param(id)
                .update();
    }

    /** A vetting that cannot complete: the release is held (pending), never allowed, and says why. */
    public void markFailed(String id, String cause, Instant at) {
        jdbc.sql("""
                        UPDATE releases SET status = 'failed', verdict = 'hold', approval = 'pending', failure = ?,
                                            completed_at = ?
                        WHERE id = ?""").params(truncate(cause, 2000), Rows.time(at), id).update();
    }

    /** Stores a vetting: the caller's transaction makes it all or nothing, with the job's completion. */
    public void storeOutcome(String id, VettingOutcome outcome) {
        deleteFacts(id); // an earlier attempt cannot have committed, but a retried job must not double the rows
        jdbc.sql("""
                        UPDATE releases SET status = 'done', verdict = ?, approval = ?, previous_id = ?, report_json = ?,
                                            failure = NULL, completed_at = ?
                        WHERE id = ?""")
                .params(
                        outcome.verdict(),
                        outcome.approval().label(),
                        outcome.previousId().orElse(null),
                        outcome.reportJson(),
                        Rows.time(outcome.completedAt()),
                        id)
                .update();
        jdbc.sql("INSERT INTO release_vettings (release_id, format, vetting_json) VALUES (?, ?, ?)")
                .params(id, outcome.vettingFormat(), outcome.vettingJson())
                .update();
        List<Object[]> findings = new ArrayList<>();
        int ordinal = 0;
        for (FindingRow f : outcome.findings()) {
            findings.add(new Object[] {id, ordinal++, f.code(), f.severity(), f.path(), f.message(), f.evidenceJson()});
        }
        batchUpdate("""
                INSERT INTO release_findings (release_id, ordinal, code, severity, path, message, evidence_json)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", findings);
        List<Object[]> files = new ArrayList<>();
        List<Object[]> indicators = new ArrayList<>();
        List<Object[]> domains = new ArrayList<>();
        for (FileFacts f : outcome.files()) {
            String fileId = Ids.next();
            files.add(new Object[] {
                fileId,
                id,
                f.path(),
                f.sha256(),
                f.sha1(),
                f.md5(),
                f.sizeBytes(),
                truncate(f.type(), 32),
                f.signerSerial().map(s -> truncate(s, 128)).orElse(null),
                f.signerThumbprint().orElse(null)
            });
            for (FileFacts.Indicator indicator : f.indicators()) {
                indicators.add(new Object[] {fileId, indicator.type(), truncate(indicator.value(), 2048)});
                for (String domain : DomainSuffixes.of(indicator.type(), indicator.value())) {
                    domains.add(new Object[] {fileId, domain, truncate(indicator.value(), 2048)});
                }
            }
        }
        batchUpdate("""
                INSERT INTO release_files (id, release_id, path, sha256, sha1, md5, size_bytes, file_type, signer_serial,
                                           signer_thumbprint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", files);
        batchUpdate(
                "INSERT INTO release_file_indicators (release_file_id, indicator_type, indicator_value) VALUES (?, ?, ?)",
                indicators);
        batchUpdate("INSERT INTO release_file_domains (release_file_id, domain, observed) VALUES (?, ?, ?)", domains);
    }

    /**
     * Adds a finding to a vetted release after the fact (a retro-hunt hit), after its others; an allowed release goes
     * to {@code hold} and an approved one back to {@code pending}, so it stops being the baseline of the next diff.
     * Joins the caller's transaction. Returns whether the release was put back to hold.
     */
    public boolean addFindingAndHold(String id, FindingRow finding) {
        int next = jdbc.sql("SELECT COALESCE(MAX(ordinal), -1) + 1 FROM release_findings WHERE release_id = ?")
                .param(id)
                .query(Integer.class)
                .single();
        jdbc.sql("""
                        INSERT INTO release_findings (release_id, ordinal, code, severity, path, message, evidence_json)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        id,
                        next,
                        finding.code(),
                        finding.severity(),
                        finding.path(),
                        finding.message(),
                        finding.evidenceJson())
                .update();
        int held = jdbc.sql("UPDATE releases SET verdict = 'hold' WHERE id = ? AND verdict = 'allow'")
                .param(id)
                .update();
        int pending = jdbc.sql("UPDATE releases SET approval = 'pending' WHERE id = ? AND approval = 'approved'")
                .param(id)
                .update();
        return held + pending > 0;
    }

    public void setApproval(String id, ApprovalState approval) {
        jdbc.sql("UPDATE releases SET approval = ? WHERE id = ?")
                .params(approval.label(), id)
                .update();
    }

    /** What the engine found, before any policy, in the engine's record form {@code format}; once vetted. */
    public Optional<String> vettingJson(String releaseId, String format) {
        return jdbc.sql("SELECT vetting_json FROM release_vettings WHERE release_id = ? AND format = ?")
                .params(releaseId, format)
                .query(String.class)
                .optional();
    }

    /** The report as stored (the CLI's JSON report), once vetted. */
    public Optional<String> reportJson(String id) {
        return jdbc.sql("SELECT report_json FROM releases WHERE id = ? AND report_json IS NOT NULL")
                .param(id)
                .query(String.class)
                .optional();
    }

    public List<FindingRow> findings(String releaseId) {
        return jdbc.sql("SELECT * FROM release_findings WHERE release_id = ? ORDER BY ordinal")
                .param(releaseId)
                .query((rs, n) -> new FindingRow(
                        rs.getString("code"),
                        rs.getString("severity"),
                        rs.getString("path"),
                        rs.getString("message"),
                        rs.getString("evidence_json")))
                .list();
    }

    /** The stored facts of a release's files, in path order. */
    public List<FileFacts> files(String releaseId) {
        java.util.Map<String, List<FileFacts.Indicator>> indicators = new java.util.HashMap<>();
        jdbc.sql("""
                        SELECT i.release_file_id, i.indicator_type, i.indicator_value
                        FROM release_file_indicators i JOIN release_files f ON f.id = i.release_file_id
                        WHERE f.release_id = ? ORDER BY i.id""").param(releaseId).query(rs -> {
            indicators
                    .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(new FileFacts.Indicator(rs.getString(2), rs.getString(3)));
        });
        return jdbc.sql("SELECT * FROM release_files WHERE release_id = ? ORDER BY path")
                .param(releaseId)
                .query((rs, n) -> new FileFacts(
                        rs.getString("path"),
                        rs.getString("sha256"),
                        rs.getString("sha1"),
                        rs.getString("md5"),
                        rs.getLong("size_bytes"),
                        rs.getString("file_type"),
                        Rows.optionalString(rs, "signer_serial"),
                        Rows.optionalString(rs, "signer_thumbprint"),
                        indicators.getOrDefault(rs.getString("id"), List.of())))
                .list();
    }

    /** How many releases are in this status. */
    public long countByStatus(ReleaseStatus status) {
        return jdbc.sql("SELECT COUNT(*) FROM releases WHERE status = ?")
                .param(status.label())
                .query(Long.class)
                .single();
    }

    private void deleteFacts(String releaseId) {
        jdbc.sql("""
                        DELETE FROM release_file_domains WHERE release_file_id IN
                            (SELECT id FROM release_files WHERE release_id = ?)""").param(releaseId).update();
        jdbc.sql("""
                        DELETE FROM release_file_indicators WHERE release_file_id IN
                            (SELECT id FROM release_files WHERE release_id = ?)""").param(releaseId).update();
        jdbc.sql("DELETE FROM release_files WHERE release_id = ?")
                .param(releaseId)
                .update();
        jdbc.sql("DELETE FROM release_findings WHERE release_id = ?")
                .param(releaseId)
                .update();
        jdbc.sql("DELETE FROM release_vettings WHERE release_id = ?")
                .param(releaseId)
                .update();
    }

    private void batchUpdate(String sql, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += BATCH) {
            batch.batchUpdate(sql, rows.subList(from, Math.min(rows.size(), from + BATCH)));
        }
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    private static ReleaseRow release(ResultSet rs, int row) throws SQLException {
        return new ReleaseRow(
                rs.getString("id"),
                rs.getString("product_id"),
                rs.getString("version"),
                rs.getString("file_name"),
                rs.getString("blob_sha256"),
                rs.getLong("size_bytes"),
                ReleaseStatus.of(rs.getString("status")),
                Rows.optionalString(rs, "verdict"),
                ApprovalState.of(rs.getString("approval")),
                Rows.optionalString(rs, "previous_id"),
                rs.getString("submitted_by"),
                Rows.optionalString(rs, "failure"),
                Rows.instant(rs, "created_at"),
                Rows.optionalInstant(rs, "started_at"),
                Rows.optionalInstant(rs, "completed_at"));
    }
}
