package dev.tollgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The queue's guarantees, on H2 and on PostgreSQL: one claimer per job, leases that run out, owners fenced. */
class JobQueueIT {

    private static final Duration LEASE = Duration.ofSeconds(30);

    /** A clock the test moves by hand. */
    private static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aJobWhoseLeaseRanOutIsTakenByAnotherWorkerAndTheFirstIsFencedOff(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Migrations.apply(db.dataSource);
            TestClock clock = new TestClock();
            JobQueue queue = new JobQueue(db.dataSource, db.transactions, clock);
            String id = queue.enqueue("vet-release", "r1", 3);

            Job first = queue.claim("node-a:1", LEASE).orElseThrow();
            assertThat(first.id()).isEqualTo(id);
            assertThat(first.attempts()).isEqualTo(1);
            assertThat(queue.claim("node-b:1", LEASE)).isEmpty(); // leased

            clock.advance(LEASE.plusSeconds(1)); // node-a died: no heartbeat
            Job second = queue.claim("node-b:1", LEASE).orElseThrow();
            assertThat(second.id()).isEqualTo(id);
            assertThat(second.attempts()).isEqualTo(2);

            assertThat(queue.heartbeat(first, LEASE)).isFalse();
            assertThat(queue.complete(first)).isFalse();
            assertThat(queue.complete(second)).isTrue();
            assertThat(queue.state(id)).contains("done");
            assertThat(queue.claim("node-c:1", LEASE)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void retriesWaitForTheirBackoffAndAReleasedJobDoesNotCountAnAttempt(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Migrations.apply(db.dataSource);
            TestClock clock = new TestClock();
            JobQueue queue = new JobQueue(db.dataSource, db.transactions, clock);
            queue.enqueue("vet-release", "r1", 2);

            Job job = queue.claim("a", LEASE).orElseThrow();
            assertThat(queue.retry(job, "disk hiccup", Duration.ofSeconds(10))).isTrue();
            assertThat(queue.claim("a", LEASE)).isEmpty();
            clock.advance(Duration.ofSeconds(11));
            Job again = queue.claim("a", LEASE).orElseThrow();
            assertThat(again.attempts()).isEqualTo(2);
            assertThat(again.exhausted()).isFalse();

            assertThat(queue.release(again)).isTrue();
            Job afterRelease = queue.claim("b", LEASE).orElseThrow();
            assertThat(afterRelease.attempts()).isEqualTo(2);
            assertThat(queue.fail(afterRelease, "gave up")).isTrue();
            assertThat(queue.state(afterRelease.id())).contains("failed");
            assertThat(queue.depth()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void concurrentClaimersTakeEachJobExactlyOnce(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Migrations.apply(db.dataSource);
            JobQueue queue = new JobQueue(db.dataSource, db.transactions, Clock.systemUTC());
            int jobs = 200;
            for (int i = 0; i < jobs; i++) {
                queue.enqueue("vet-release", "r" + i, 3);
            }
            Set<String> claimed = ConcurrentHashMap.newKeySet();
            List<String> duplicates = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String owner = "worker-" + w;
                workers.add(pool.submit(() -> {
                    int idle = 0;
                    while (idle < 20) {
                        Optional<Job> job = queue.claim(owner, LEASE);
                        if (job.isEmpty()) {
                            idle++;
                            continue;
                        }
                        idle = 0;
                        if (!claimed.add(job.get().id())) {
                            synchronized (duplicates) {
                                duplicates.add(job.get().id());
                            }
                        }
                        queue.complete(job.get());
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            pool.shutdown();
            assertThat(duplicates).isEmpty();
            assertThat(claimed).hasSize(jobs);
        }
    }
}
