package dev.tollgate.server;

import dev.tollgate.store.JobQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.springframework.stereotype.Component;

/**
 * The server's own metrics, at {@code /actuator/prometheus}: the queue's depth and the age of its oldest waiting job
 * (read from the database at each scrape, so every node reports the shared queue), analysis time, verdicts, retries
 * and failures.
 */
@Component
final class ServerMetrics {

    private final MeterRegistry registry;
    private final Counter retried;
    private final Counter failed;

    ServerMetrics(MeterRegistry registry, JobQueue queue) {
        this.registry = registry;
        Gauge.builder("tollgate.queue.depth", guarded(queue::depth))
                .description("Analyses waiting for a worker, on every node")
                .register(registry);
        Gauge.builder(
                        "tollgate.queue.oldest.age",
                        guarded(() -> queue.oldestWaiting().toMillis() / 1000.0))
                .description("Seconds the oldest waiting analysis has waited")
                .baseUnit("seconds")
                .register(registry);
        this.retried = Counter.builder("tollgate.analysis.retries")
                .description("Analysis attempts that failed and were queued again")
                .register(registry);
        this.failed = Counter.builder("tollgate.analysis.failures")
                .description("Releases whose analysis failed for good (held)")
                .register(registry);
    }

    void vetted(String verdict, Duration took) {
        Timer.builder("tollgate.analysis.duration")
                .description("Time to vet one release")
                .tag("verdict", verdict)
                .register(registry)
                .record(took);
        Counter.builder("tollgate.releases.vetted")
                .description("Releases vetted, by verdict")
                .tag("verdict", verdict)
                .register(registry)
                .increment();
    }

    /** Alerts raised by one retro-hunt job. */
    void retroHuntHits(int alerts) {
        Counter.builder("tollgate.retrohunt.hits")
                .description("Alerts raised by retro-hunts (one per release file and indicator)")
                .register(registry)
                .increment(alerts);
    }

    void webhookDelivery(boolean delivered) {
        Counter.builder("tollgate.webhook.deliveries")
                .description("Webhook delivery attempts, by outcome")
                .tag("outcome", delivered ? "delivered" : "failed")
                .register(registry)
                .increment();
    }

    void retried() {
        retried.increment();
    }

    void failed() {
        failed.increment();
    }

    /** A gauge's reading, NaN while the database cannot answer (a scrape must not fail for it). */
    private static java.util.function.Supplier<Number> guarded(DoubleSupplier reading) {
        return () -> {
            try {
                return reading.getAsDouble();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        };
    }
}
