package dev.tollgate.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log: an append-only hash chain. Each entry's hash is SHA-256 over the previous entry's hash and the entry's
 * canonical content ({@link #hash}), so that an edited, removed or reordered entry breaks every hash after it. Appends
 * from several nodes serialize on the {@code audit_head} row's lock; an append joins the caller's transaction, so that
 * an action and its entry commit together.
 */
public final class AuditLog {

    /** The {@code prev} of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    public AuditLog(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Appends an entry and returns it. */
    public AuditEntry append(String actor, String action, String subject, String detailsJson, Instant at) {
        return transaction.execute(status -> {
            record Head(long seq, String hash) {}
            Head head = jdbc.sql("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                    .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                    .single();
            Instant time = at.truncatedTo(ChronoUnit.MICROS);
            long seq = head.seq() + 1;
            String hash = hash(head.hash(), seq, time, actor, action, subject, detailsJson);
            jdbc.sql("""
                            INSERT INTO audit_log (seq, at, actor, action, subject, details_json, prev, hash)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(seq, Rows.time(time), actor, action, subject, detailsJson, head.hash(), hash)
                    .update();
            jdbc.sql("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")
                    .params(seq, hash)
                    .update();
            return new AuditEntry(seq, time, actor, action, subject, detailsJson, head.hash(), hash);
        });
    }

    /** Entries oldest first, after {@code afterSeq}. */
    public Page<AuditEntry> page(long afterSeq, int limit) {
        List<AuditEntry> rows = jdbc.sql("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?")
                .params(afterSeq, limit + 1)
                .query(AuditLog::entry)
                .list();
        return Page.of(rows, limit, e -> Long.toString(e.seq()));
    }

    /** The first entry whose link is broken (wrong prev, wrong hash, or a gap in seq), when there is one. */
    public Optional<Long> firstBrokenLink() {
        String prev = GENESIS;
        long expectedSeq = 1;
        long after = 0;
        while (true) {
            Page<AuditEntry> page = page(after, 1000);
            for (AuditEntry e : page.items()) {
                boolean intact = e.seq() == expectedSeq
                        && e.prev().equals(prev)
                        && e.hash()
                                .equals(hash(
                                        prev, e.seq(), e.at(), e.actor(), e.action(), e.subject(), e.detailsJson()));
                if (!intact) {
                    return Optional.of(e.seq());
                }
                prev = e.hash();
                expectedSeq++;
                after = e.seq();
            }
            if (page.next().isEmpty()) {
                return Optional.empty();
            }
        }
    }

    /**
     * Checks the whole chain and names the first entry that was changed, removed or reordered: an entry whose
     * {@code seq} is not the next one (one before it was removed, or entries were reordered), whose {@code prev} is not
     * the hash of the entry before it, or whose {@code hash} does not match its content (it was changed); and entries
     * removed from the end, which {@code audit_head} still counts. Empty when the chain is intact.
     */
    public Optional<String> verify() {
        String prev = GENESIS;
        long expectedSeq = 1;
        long after = 0;
        while (true) {
            Page<AuditEntry> page = page(after, 1000);
            for (AuditEntry e : page.items()) {
                if (e.seq() != expectedSeq) {
                    return Optional.of("entry " + expectedSeq + " is missing or out of place: entry " + e.seq()
                            + " follows entry " + (expectedSeq - 1) + " (removed or reordered)");
                }
                if (!e.prev().equals(prev)) {
                    return Optional.of("entry " + e.seq() + " does not link to entry " + (e.seq() - 1)
                            + ": its prev is not that entry's hash (an entry was removed, reordered or changed)");
                }
                String expected = hash(prev, e.seq(), e.at(), e.actor(), e.action(), e.subject(), e.detailsJson());
                if (!e.hash().equals(expected)) {
                    return Optional.of("entry " + e.seq() + " was changed: its content does not match its hash");
                }
                prev = e.hash();
                expectedSeq++;
                after = e.seq();
            }
            if (page.next().isEmpty()) {
                break;
            }
        }
        record Head(long seq, String hash) {}
        Head head = jdbc.sql("SELECT seq, hash FROM audit_head WHERE id = 1")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
        if (head.seq() != expectedSeq - 1 || !head.hash().equals(prev)) {
            return Optional.of("entries " + expectedSeq + " to " + head.seq()
                    + " were removed from the end: the chain's head records " + head.seq() + " entries");
        }
        return Optional.empty();
    }

    /** The number of entries, for a report. */
    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log").query(Long.class).single();
    }

    /** SHA-256 (lower-case hex) of the previous hash and the entry's fields, each on a line of its own. */
    public static String hash(
            String prev, long seq, Instant at, String actor, String action, String subject, String detailsJson) {
        String canonical =
                String.join("\n", prev, Long.toString(seq), at.toString(), actor, action, subject, detailsJson);
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(
                rs.getLong("seq"),
                Rows.instant(rs, "at"),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("subject"),
                rs.getString("details_json"),
                rs.getString("prev"),
                rs.getString("hash"));
    }
}
