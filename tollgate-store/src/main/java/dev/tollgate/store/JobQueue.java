package dev.tollgate.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A job queue in the database, shared by every node on it.
 *
 * <p>A job is claimable when it is {@code queued} and due, or {@code running} with a lease that ran out (its worker
 * died: {@code kill -9}, a lost machine). A claim locks the candidate row with {@code FOR UPDATE SKIP LOCKED}, so that
 * concurrent claimers pass over each other's candidates instead of waiting, and then takes it with an UPDATE that
 * repeats the claimability condition, so that a claim succeeds only for one claimer whatever the database's locking.
 * Every later change of a claimed job is conditional on its lease owner: a worker that lost its lease cannot complete
 * a job someone else now runs, which is what makes "no job run twice at once" hold when the results are stored in the
 * same transaction as {@link #complete}.
 */
public final class JobQueue {

    private static final String CLAIMABLE =
            "(state = 'queued' AND not_before <= ?) OR (state = 'running' AND lease_expires_at < ?)";

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public JobQueue(DataSource dataSource, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transaction = new TransactionTemplate(transactions);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Queues a job, due now; joins the caller's transaction. Returns its id. */
    public String enqueue(String kind, String payload, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        String id = Ids.next();
        var now = Rows.time(clock.instant());
        jdbc.sql("""
                        INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, not_before, created_at, updated_at)
                        VALUES (?, ?, ?, 'queued', 0, ?, ?, ?, ?)""").params(id, kind, payload, maxAttempts, now, now, now).update();
        return id;
    }

    /** Claims the job due longest, for {@code lease}; empty when none is claimable. */
    public Optional<Job> claim(String owner, Duration lease) {
        Objects.requireNonNull(owner, "owner");
        return transaction.execute(status -> {
            var now = Rows.time(clock.instant());
            Optional<String> candidate = jdbc.sql("SELECT id FROM jobs WHERE " + CLAIMABLE
                            + " ORDER BY not_before, id LIMIT 1 FOR UPDATE SKIP LOCKED")
                    .params(now, now)
                    .query(String.class)
                    .optional();
            if (candidate.isEmpty()) {
                return Optional.<Job>empty();
            }
            Instant expires = clock.instant().plus(lease);
            int taken = jdbc.sql("UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?,"
                            + " lease_expires_at = ?, updated_at = ? WHERE id = ? AND (" + CLAIMABLE + ")")
                    .params(owner, Rows.time(expires), now, candidate.get(), now, now)
                    .update();
            if (taken != 1) {
                return Optional.<Job>empty();
            }
            return jdbc.sql("SELECT * FROM jobs WHERE id = ?")
                    .param(candidate.get())
                    .query((rs, n) -> new Job(
                            rs.getString("id"),
                            rs.getString("kind"),
                            rs.getString("payload"),
                            rs.getInt("attempts"),
                            rs.getInt("max_attempts"),
                            rs.getString("lease_owner"),
                            Rows.instant(rs, "lease_expires_at")))
                    .optional();
        });
    }

    /** Extends the lease; false when the job is no longer this owner's (its lease ran out and another took it). */
    public boolean heartbeat(Job job, Duration lease) {
        Instant now = clock.instant();
        return jdbc.sql("UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE id = ? AND lease_owner = ?"
                                + " AND state = 'running'")
                        .params(Rows.time(now.plus(lease)), Rows.time(now), job.id(), job.leaseOwner())
                        .update()
                == 1;
    }

    /** Marks the job done; joins the caller's transaction. False when the job is no longer this owner's. */
    public boolean complete(Job job) {
        return finish(job, "done", null);
    }

    /** Marks the job failed for good with its cause; false when the job is no longer this owner's. */
    public boolean fail(Job job, String cause) {
        return finish(job, "failed", cause);
    }

    /** Puts the job back in the queue, due after {@code delay}; false when the job is no longer this owner's. */
    public boolean retry(Job job, String cause, Duration delay) {
        Instant now = clock.instant();
        return jdbc.sql("""
                                UPDATE jobs SET state = 'queued', not_before = ?, lease_owner = NULL, lease_expires_at = NULL,
                                                last_error = ?, updated_at = ?
                                WHERE id = ? AND lease_owner = ? AND state = 'running'""")
                        .params(Rows.time(now.plus(delay)), truncate(cause), Rows.time(now), job.id(), job.leaseOwner())
                        .update()
                == 1;
    }

    /**
     * Gives the job back unfinished (a node shutting down), due at once and without counting this attempt; false when
     * the job is no longer this owner's.
     */
    public boolean release(Job job) {
        Instant now = clock.instant();
        return jdbc.sql("""
                                UPDATE jobs SET state = 'queued', not_before = ?, attempts = attempts - 1, lease_owner = NULL,
                                                lease_expires_at = NULL, updated_at = ?
                                WHERE id = ? AND lease_owner = ? AND state = 'running'""")
                        .params(Rows.time(now), Rows.time(now), job.id(), job.leaseOwner())
                        .update()
                == 1;
    }

    /** Jobs waiting: queued, or running with a lease that ran out. */
    public long depth() {
        var now = Rows.time(clock.instant());
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE " + CLAIMABLE)
                .params(now, now)
                .query(Long.class)
                .single();
    }

    /** How long the oldest waiting job has waited, zero when none waits. */
    public Duration oldestWaiting() {
        var now = Rows.time(clock.instant());
        Optional<Instant> oldest = jdbc.sql("SELECT MIN(created_at) AS oldest FROM jobs WHERE " + CLAIMABLE)
                .params(now, now)
                .query((rs, n) -> Optional.ofNullable(Rows.instant(rs, "oldest")))
                .single();
        return oldest.map(o -> Duration.between(o, clock.instant()))
                .filter(d -> !d.isNegative())
                .orElse(Duration.ZERO);
    }

    /** The state of a job ({@code queued}, {@code running}, {@code done}, {@code failed}), for tests and operators. */
    public Optional<String> state(String id) {
        return jdbc.sql("SELECT state FROM jobs WHERE id = ?")
                .param(id)
                .query(String.class)
                .optional();
    }

    private boolean finish(Job job, String state, String cause) {
        Instant now = clock.instant();
        return jdbc.sql("""
                                UPDATE jobs SET state = ?, lease_owner = NULL, lease_expires_at = NULL, last_error = ?,
                                                updated_at = ?
                                WHERE id = ? AND lease_owner = ? AND state = 'running'""")
                        .params(
                                state,
                                cause == null ? null : truncate(cause),
                                Rows.time(now),
                                job.id(),
                                job.leaseOwner())
                        .update()
                == 1;
    }

    private static String truncate(String value) {
        return value.length() <= 2000 ? value : value.substring(0, 2000);
    }
}
