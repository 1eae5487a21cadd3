package dev.tollgate.store;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Decisions on releases; an actor decides a release at most once (a unique key says so). */
public final class ApprovalRepository {

    private final JdbcClient jdbc;

    public ApprovalRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** @throws org.springframework.dao.DuplicateKeyException when this actor already decided this release */
    public void insert(ApprovalRow approval) {
        jdbc.sql("""
                        INSERT INTO approvals (id, release_id, decided_by, decision, reason, decided_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(
                        approval.id(),
                        approval.releaseId(),
                        approval.decidedBy(),
                        approval.decision(),
                        approval.reason(),
                        Rows.time(approval.decidedAt()))
                .update();
    }

    /** A release's decisions, oldest first. */
    public List<ApprovalRow> forRelease(String releaseId) {
        return jdbc.sql("SELECT * FROM approvals WHERE release_id = ? ORDER BY id")
                .param(releaseId)
                .query((rs, n) -> new ApprovalRow(
                        rs.getString("id"),
                        rs.getString("release_id"),
                        rs.getString("decided_by"),
                        rs.getString("decision"),
                        rs.getString("reason"),
                        Rows.instant(rs, "decided_at")))
                .list();
    }
}
