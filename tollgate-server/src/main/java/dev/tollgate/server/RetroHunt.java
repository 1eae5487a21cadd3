package dev.tollgate.server;

import dev.tollgate.store.AlertRepository;
import dev.tollgate.store.AlertRow;
import dev.tollgate.store.FindingRow;
import dev.tollgate.store.Ids;
import dev.tollgate.store.IntelHit;
import dev.tollgate.store.IntelRepository;
import dev.tollgate.store.Job;
import dev.tollgate.store.JobQueue;
import dev.tollgate.store.ReleaseRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The retro-hunt, as jobs in the database queue: the new indicators of a feed against every file of every vetted
 * release ({@link #FEED_KIND}), and every stored indicator against a release just vetted ({@link #RELEASE_KIND}).
 * Matching is SQL over the stored facts and their indexes (hashes, signer, URLs, IPs, domains with their parents), IP
 * networks in Java over the candidate addresses. A hit raises an alert once per (file, indicator), adds the finding to
 * the release and puts an allowed or approved release back to hold and pending. Running a job again is harmless.
 */
@Component
final class RetroHunt implements JobHandler {

    static final String FEED_KIND = "intel.hunt-feed";
    static final String RELEASE_KIND = "intel.hunt-release";

    private static final Logger LOG = LoggerFactory.getLogger(RetroHunt.class);

    private final IntelRepository intel;
    private final IntelFeedReader reader;
    private final AlertRepository alerts;
    private final ReleaseRepository releases;
    private final Webhooks webhooks;
    private final JobQueue queue;
    private final Audit audit;
    private final ServerSettings settings;
    private final TransactionTemplate transaction;
    private final ServerMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;

    RetroHunt(
            IntelRepository intel,
            IntelFeedReader reader,
            AlertRepository alerts,
            ReleaseRepository releases,
            Webhooks webhooks,
            JobQueue queue,
            Audit audit,
            ServerSettings settings,
            TransactionTemplate transaction,
            ServerMetrics metrics,
            JsonMapper json,
            Clock clock) {
        this.intel = intel;
        this.reader = reader;
        this.alerts = alerts;
        this.releases = releases;
        this.webhooks = webhooks;
        this.queue = queue;
        this.audit = audit;
        this.settings = settings;
        this.transaction = transaction;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public boolean handles(String kind) {
        return kind.equals(FEED_KIND) || kind.equals(RELEASE_KIND);
    }

    @Override
    public void run(Job job) {
        long started = System.nanoTime();
        boolean byFeed = job.kind().equals(FEED_KIND);
        try {
            List<IntelHit> hits =
                    new ArrayList<>(byFeed ? intel.huntFeed(job.payload()) : intel.huntRelease(job.payload()));
            for (IntelFeedReader.NetworkHit n : reader.matchNetworks(
                    intel.networkIndicators(byFeed ? Optional.of(job.payload()) : Optional.empty()),
                    intel.addresses(byFeed ? Optional.empty() : Optional.of(job.payload())))) {
                hits.add(new IntelHit(
                        n.address().releaseFileId(),
                        n.address().releaseId(),
                        n.address().path(),
                        n.network().id(),
                        "ip",
                        n.network().value(),
                        n.network().feedId(),
                        n.address().address()));
            }
            int raised = 0;
            Set<String> held = new TreeSet<>();
            for (IntelHit hit : hits) {
                Optional<Boolean> outcome = transaction.execute(status -> raise(hit));
                if (outcome != null && outcome.isPresent()) {
                    raised++;
                    if (outcome.get()) {
                        held.add(hit.releaseId());
                    }
                }
            }
            if (!queue.complete(job)) {
                LOG.warn(
                        "job {} ({} {}): lease lost; another worker runs it again",
                        job.id(),
                        job.kind(),
                        job.payload());
                return;
            }
            metrics.retroHuntHits(raised);
            LOG.info(
                    "job {} {} {}: {} matches, {} new alerts, {} releases put back to hold{}, {} ms",
                    job.id(),
                    byFeed ? "retro-hunt of feed" : "intel match of release",
                    job.payload(),
                    hits.size(),
                    raised,
                    held.size(),
                    held.isEmpty() ? "" : " " + held,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (RuntimeException e) {
            String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (job.attempts() < job.maxAttempts()) {
                Duration delay = settings.retryBackoff().multipliedBy(1L << Math.min(10, job.attempts() - 1));
                queue.retry(job, cause, delay);
                LOG.warn(
                        "job {} {} {}: attempt {} failed ({}); retrying in {}",
                        job.id(),
                        job.kind(),
                        job.payload(),
                        job.attempts(),
                        cause,
                        delay);
            } else {
                queue.fail(job, cause);
                LOG.error(
                        "job {} {} {}: failed after {} attempts: {}",
                        job.id(),
                        job.kind(),
                        job.payload(),
                        job.attempts(),
                        cause);
            }
        }
    }

    /**
     * Raises the alert for one hit unless this (file, indicator) was raised before; empty when it was, else whether the
     * release was put back to hold. Runs in one transaction with the finding, the hold, the audit entry and the
     * webhook deliveries.
     */
    private Optional<Boolean> raise(IntelHit hit) {
        if (intel.hitRecorded(hit.releaseFileId(), hit.indicatorId())) {
            return Optional.empty();
        }
        String code = code(hit.indicatorType());
        Instant now = clock.instant();
        String message = message(hit);
        String alertId = Ids.next();
        alerts.insert(new AlertRow(
                alertId,
                code,
                "critical",
                "open",
                Optional.of(hit.releaseId()),
                Optional.empty(),
                Optional.of(hit.path()),
                Optional.of(hit.indicatorValue()),
                message,
                now,
                Optional.empty(),
                Optional.empty()));
        if (!intel.recordHit(hit.releaseFileId(), hit.indicatorId(), alertId, now)) {
            alerts.delete(alertId); // another hunt raised it meanwhile
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("indicatorType", hit.indicatorType());
        evidence.put("indicator", hit.indicatorValue());
        evidence.put("observed", hit.observed());
        evidence.put("feedId", hit.feedId());
        evidence.put("alertId", alertId);
        evidence.put("retroHunt", true);
        boolean held = releases.addFindingAndHold(
                hit.releaseId(),
                new FindingRow(code, "critical", hit.path(), message, json.writeValueAsString(evidence)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("code", code);
        details.put("releaseId", hit.releaseId());
        details.put("path", hit.path());
        details.put("indicator", hit.indicatorValue());
        details.put("heldAgain", held);
        audit.record(Audit.SYSTEM, "alert.raised", "alert:" + alertId, details);
        webhooks.enqueueDeliveries(alertId);
        return Optional.of(held);
    }

    private static String code(String indicatorType) {
        return switch (indicatorType) {
            case "domain" -> "intel.domain";
            case "url" -> "intel.url";
            case "ip" -> "intel.ip";
            case "cert-sha256", "cert-serial", "cert-sha1" -> "intel.certificate";
            default -> "intel.hash";
        };
    }

    private static String message(IntelHit hit) {
        String what =
                switch (hit.indicatorType()) {
                    case "domain", "url", "ip" ->
                        "names " + hit.observed() + ", which matches the " + hit.indicatorType() + " indicator "
                                + hit.indicatorValue();
                    case "cert-sha256", "cert-serial" ->
                        "is signed by a certificate in the threat intel (" + hit.indicatorType() + " "
                                + hit.indicatorValue() + ")";
                    default ->
                        "has the " + hit.indicatorType() + " " + hit.indicatorValue()
                                + ", which is in the threat intel";
                };
        String message = hit.path() + " " + what + " (feed " + hit.feedId() + ")";
        return message.length() <= 4000 ? message : message.substring(0, 4000);
    }
}
