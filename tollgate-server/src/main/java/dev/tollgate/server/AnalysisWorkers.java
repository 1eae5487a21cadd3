package dev.tollgate.server;

import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.Verdict;
import dev.tollgate.store.ApprovalState;
import dev.tollgate.store.BlobStore;
import dev.tollgate.store.FileFacts;
import dev.tollgate.store.FindingRow;
import dev.tollgate.store.Job;
import dev.tollgate.store.JobQueue;
import dev.tollgate.store.ProductRepository;
import dev.tollgate.store.ProductRow;
import dev.tollgate.store.ReleaseRepository;
import dev.tollgate.store.ReleaseRow;
import dev.tollgate.store.TrustAnchorRow;
import dev.tollgate.store.VettingOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * This node's analysis workers: {@code tollgate.workers} threads that claim release analyses from the database queue,
 * vet them ({@link ReleaseVetting}) and store the outcome together with the job's completion, in one transaction
 * conditional on still holding the lease. A heartbeat renews the leases of running analyses; a node killed mid-job
 * stops renewing, and another node takes the job once the lease runs out. A failed attempt is retried with growing
 * delays up to {@code tollgate.max-attempts}; then the release is {@code failed}, held (pending), with the cause. On
 * shutdown, running analyses get {@code tollgate.shutdown-grace} to finish, then their leases are given back.
 */
@Component
final class AnalysisWorkers implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AnalysisWorkers.class);

    private final ServerSettings settings;
    private final JobQueue queue;
    private final ReleaseRepository releases;
    private final ProductRepository products;
    private final BlobStore blobs;
    private final ReleaseVetting vetting;
    private final Audit audit;
    private final TransactionTemplate transaction;
    private final ServerMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;
    private final List<JobHandler> handlers;
    private final String node = "node-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Job> active = new ConcurrentHashMap<>();
    private final Object idle = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private ScheduledExecutorService heartbeat;

    AnalysisWorkers(
            ServerSettings settings,
            JobQueue queue,
            ReleaseRepository releases,
            ProductRepository products,
            BlobStore blobs,
            ReleaseVetting vetting,
            Audit audit,
            TransactionTemplate transaction,
            ServerMetrics metrics,
            JsonMapper json,
            Clock clock,
            List<JobHandler> handlers) {
        this.settings = settings;
        this.queue = queue;
        this.releases = releases;
        this.products = products;
        this.blobs = blobs;
        this.vetting = vetting;
        this.audit = audit;
        this.transaction = transaction;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.handlers = List.copyOf(handlers);
    }

    @Override
    public synchronized void start() {
        if (running || !settings.runsWorkers()) {
            return;
        }
        running = true;
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tollgate-lease-heartbeat"));
        long every = Math.max(1000, settings.lease().toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
        for (int i = 0; i < settings.workers(); i++) {
            int index = i;
            Thread thread = daemon(() -> work(index), "tollgate-worker-" + i);
            threads.add(thread);
            thread.start();
        }
        LOG.info(
                "{} analysis workers started on {} (lease {}, {} attempts)",
                settings.workers(),
                node,
                settings.lease(),
                settings.maxAttempts());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        synchronized (idle) {
            idle.notifyAll();
        }
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Job job : active.values()) {
            if (queue.release(job)) {
                releases.markQueued(job.payload());
                LOG.info(
                        "job {} (release {}): lease given back at shutdown; another worker will run it",
                        job.id(),
                        job.payload());
            }
        }
        heartbeat.shutdownNow();
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** How many analyses this node is running now, and how many threads it has for them (for health). */
    int busy() {
        return active.size();
    }

    int threads() {
        return running ? settings.workers() : 0;
    }

    String node() {
        return node;
    }

    private void work(int index) {
        long claims = 0;
        while (running) {
            Optional<Job> job;
            try {
                job = queue.claim(node + "/" + index + "/" + ++claims, settings.lease());
            } catch (RuntimeException e) {
                LOG.warn("worker {} cannot reach the queue: {}", index, e.getMessage());
                pause(settings.poll().multipliedBy(5));
                continue;
            }
            if (job.isEmpty()) {
                pause(settings.poll());
                continue;
            }
            active.put(job.get().id(), job.get());
            try {
                run(job.get());
            } catch (RuntimeException e) {
                if (running) {
                    LOG.error(
                            "job {}: unexpected failure; its lease will run out and it will be retried",
                            job.get().id(),
                            e);
                } else { // the node stopped under it (the database closed): stop() gave its lease back
                    LOG.info("job {}: abandoned at shutdown ({})", job.get().id(), e.getMessage());
                }
            } finally {
                active.remove(job.get().id());
            }
        }
    }

    private void run(Job job) {
        if (!job.kind().equals(ReleaseIntake.JOB_KIND)) {
            for (JobHandler handler : handlers) {
                if (handler.handles(job.kind())) {
                    handler.run(job);
                    return;
                }
            }
            queue.fail(job, "unknown job kind " + job.kind());
            LOG.warn("job {}: unknown kind {}; failed", job.id(), job.kind());
            return;
        }
        Optional<ReleaseRow> found = releases.find(job.payload());
        if (found.isEmpty()) {
            queue.fail(job, "no release " + job.payload());
            LOG.warn("job {}: release {} does not exist; failed", job.id(), job.payload());
            return;
        }
        ReleaseRow release = found.get();
        if (job.exhausted()) {
            fail(
                    job,
                    release,
                    "the analysis was interrupted " + (job.attempts() - 1)
                            + " times (its worker stopped or lost its lease)");
            return;
        }
        releases.markAnalysing(release.id(), clock.instant());
        long started = System.nanoTime();
        try {
            ReleaseVetting.Vetted vetted = vet(release);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            VettingOutcome outcome = outcome(release, vetted);
            Boolean stored = transaction.execute(status -> {
                if (!queue.complete(job)) {
                    status.setRollbackOnly();
                    return false;
                }
                releases.storeOutcome(release.id(), outcome);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("verdict", outcome.verdict());
                details.put("approval", outcome.approval().label());
                details.put("previousId", outcome.previousId().orElse(null));
                details.put("findings", outcome.findings().size());
                details.put("node", node);
                details.put("attempt", job.attempts());
                audit.record(Audit.SYSTEM, "release.vetted", "release:" + release.id(), details);
                // the stored intel in force is matched against the new facts as a job of its own (RetroHunt)
                queue.enqueue(RetroHunt.RELEASE_KIND, release.id(), settings.maxAttempts());
                return true;
            });
            if (Boolean.TRUE.equals(stored)) {
                metrics.vetted(outcome.verdict(), took);
                LOG.info(
                        "job {} release {} ({} {}): {}, {} findings, {} files, {} ms, attempt {}{}",
                        job.id(),
                        release.id(),
                        release.fileName(),
                        release.version(),
                        outcome.verdict(),
                        outcome.findings().size(),
                        outcome.files().size(),
                        took.toMillis(),
                        job.attempts(),
                        outcome.previousId().map(p -> ", against " + p).orElse(""));
            } else {
                LOG.warn(
                        "job {} release {}: finished after its lease was lost; the other worker's result stands",
                        job.id(),
                        release.id());
            }
        } catch (ReleaseVetting.PermanentFailure e) {
            fail(job, release, e.getMessage());
        } catch (Exception e) {
            String cause = describe(e);
            if (job.attempts() < job.maxAttempts()) {
                Duration delay = settings.retryBackoff().multipliedBy(1L << Math.min(10, job.attempts() - 1));
                if (queue.retry(job, cause, delay)) {
                    releases.markQueued(release.id());
                }
                metrics.retried();
                LOG.warn(
                        "job {} release {}: attempt {} of {} failed ({}); retrying in {}",
                        job.id(),
                        release.id(),
                        job.attempts(),
                        job.maxAttempts(),
                        cause,
                        delay);
            } else {
                fail(job, release, "the analysis failed " + job.attempts() + " times; the last time: " + cause);
            }
        }
    }

    private ReleaseVetting.Vetted vet(ReleaseRow release) throws Exception {
        ProductRow product = products.find(release.productId())
                .orElseThrow(() -> new ReleaseVetting.PermanentFailure("the release's product no longer exists"));
        Path blob = blobs.find(release.blobSha256())
                .orElseThrow(
                        () -> new ReleaseVetting.PermanentFailure("the release's file is missing from the blob store"));
        Optional<ReleaseVetting.Baseline> previous = Optional.empty();
        Optional<ReleaseRow> baseline = releases.latestApproved(product.id(), release.id());
        if (baseline.isPresent()) {
            Path previousBlob = blobs.find(baseline.get().blobSha256())
                    .orElseThrow(() -> new ReleaseVetting.PermanentFailure(
                            "the previous approved release's file is missing from the blob store"));
            previous = Optional.of(new ReleaseVetting.Baseline(
                    baseline.get().id(),
                    new ReleaseVetting.Input(previousBlob, baseline.get().fileName()),
                    releases.vettingJson(baseline.get().id(), ReleaseVetting.vettingFormat())));
        }
        List<String> pems = products.trustAnchors(product.id()).stream()
                .map(TrustAnchorRow::pem)
                .toList();
        return vetting.vet(
                new ReleaseVetting.Input(blob, release.fileName()), previous, pems, products.policy(product.id()));
    }

    private VettingOutcome outcome(ReleaseRow release, ReleaseVetting.Vetted vetted) {
        Verdict verdict = vetted.report().verdict();
        List<FindingRow> findings = new ArrayList<>();
        for (Finding f : vetted.report().findings()) {
            findings.add(new FindingRow(
                    f.code(), f.severity().label(), f.path(), f.message(), json.writeValueAsString(f.evidence())));
        }
        List<FileFacts> files = new ArrayList<>();
        for (FileRecord f : vetted.report().files()) {
            Optional<SignatureInfo> signer = f.signatures().stream()
                    .filter(s -> s.nested() == 0)
                    .findFirst()
                    .or(() -> f.signatures().stream().findFirst());
            List<FileFacts.Indicator> indicators = new ArrayList<>();
            f.indicators().urls().forEach(u -> indicators.add(new FileFacts.Indicator("url", u)));
            f.indicators().domains().forEach(d -> indicators.add(new FileFacts.Indicator("domain", d)));
            f.indicators().ips().forEach(ip -> indicators.add(new FileFacts.Indicator("ip", ip)));
            files.add(new FileFacts(
                    f.path(),
                    f.hashes().sha256(),
                    f.hashes().sha1(),
                    f.hashes().md5(),
                    f.size(),
                    f.type().label(),
                    signer.map(SignatureInfo::serial).filter(s -> !s.isBlank()),
                    signer.map(SignatureInfo::thumbprintSha256).filter(s -> !s.isBlank()),
                    indicators));
        }
        return new VettingOutcome(
                verdict.label(),
                verdict == Verdict.ALLOW ? ApprovalState.APPROVED : ApprovalState.PENDING,
                vetted.previousId(),
                vetted.reportJson(),
                ReleaseVetting.vettingFormat(),
                vetted.vettingJson(),
                findings,
                files,
                clock.instant());
    }

    private void fail(Job job, ReleaseRow release, String cause) {
        Boolean recorded = transaction.execute(status -> {
            if (!queue.fail(job, cause)) {
                status.setRollbackOnly();
                return false;
            }
            releases.markFailed(release.id(), cause, clock.instant());
            audit.record(Audit.SYSTEM, "release.failed", "release:" + release.id(), Map.of("cause", cause));
            return true;
        });
        if (Boolean.TRUE.equals(recorded)) {
            metrics.failed();
            LOG.info(
                    "job {} release {} ({} {}): failed, held: {}",
                    job.id(),
                    release.id(),
                    release.fileName(),
                    release.version(),
                    cause);
        }
    }

    /** An exception as a cause a person can read, without the server's own paths. */
    private String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace(settings.dataDirectory().toString(), "<data>");
    }

    private void renewLeases() {
        for (Job job : active.values()) {
            try {
                if (!queue.heartbeat(job, settings.lease())) {
                    LOG.warn("job {} (release {}): lease lost; its result will not be stored", job.id(), job.payload());
                }
            } catch (RuntimeException e) {
                LOG.warn("job {}: lease not renewed: {}", job.id(), e.getMessage());
            }
        }
    }

    private void pause(Duration duration) {
        synchronized (idle) {
            if (!running) {
                return;
            }
            try {
                idle.wait(Math.max(1, duration.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
