package dev.tollgate.server;

import dev.tollgate.store.AlertRepository;
import dev.tollgate.store.AlertRow;
import dev.tollgate.store.Job;
import dev.tollgate.store.JobQueue;
import dev.tollgate.store.WebhookRepository;
import dev.tollgate.store.WebhookRow;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers one alert to one webhook, as a job: a POST of the alert as JSON (or Slack's {@code {"text": ...}}) with
 * {@code X-Tollgate-Signature: sha256=<hex>}, the HMAC-SHA256 of the exact body bytes under the webhook's secret (the
 * GitHub convention), and {@code X-Tollgate-Alert} with the alert's id. A 2xx is delivered; anything else (a status, a
 * refused connection, a timeout) is retried with doubling delays up to {@link Webhooks#MAX_ATTEMPTS}, then failed.
 * Short connect and read timeouts keep a dead receiver from holding a worker; every attempt is logged and recorded.
 */
@Component
final class WebhookDelivery implements JobHandler {

    static final String KIND = "webhook.deliver";
    static final String SIGNATURE_HEADER = "X-Tollgate-Signature";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final WebhookRepository webhooks;
    private final AlertRepository alerts;
    private final SecretBox secrets;
    private final JobQueue queue;
    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    WebhookDelivery(
            WebhookRepository webhooks,
            AlertRepository alerts,
            SecretBox secrets,
            JobQueue queue,
            ServerSettings settings,
            ServerMetrics metrics,
            JsonMapper json,
            Clock clock) {
        this.webhooks = webhooks;
        this.alerts = alerts;
        this.secrets = secrets;
        this.queue = queue;
        this.settings = settings;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public boolean handles(String kind) {
        return kind.equals(KIND);
    }

    @Override
    public void run(Job job) {
        String[] ids = job.payload().split(" ", 2);
        Optional<WebhookRow> webhook = webhooks.find(ids[0]);
        Optional<AlertRow> alert = ids.length == 2 ? alerts.find(ids[1]) : Optional.empty();
        if (webhook.isEmpty() || alert.isEmpty()) {
            queue.fail(job, "the webhook or the alert no longer exists");
            LOG.warn(
                    "job {} webhook delivery {}: the webhook or the alert no longer exists; failed",
                    job.id(),
                    job.payload());
            return;
        }
        String outcome;
        boolean delivered;
        try {
            byte[] body = body(webhook.get(), alert.get());
            String secret = secrets.open(
                    webhook.get().secretCiphertext(), "webhook:" + webhook.get().id());
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create(webhook.get().url()))
                            .timeout(READ_TIMEOUT)
                            .header("Content-Type", "application/json")
                            .header("User-Agent", "Tollgate")
                            .header("X-Tollgate-Alert", alert.get().id())
                            .header(SIGNATURE_HEADER, "sha256=" + hmacSha256Hex(secret, body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            delivered = response.statusCode() / 100 == 2;
            outcome = "HTTP " + response.statusCode();
        } catch (IOException | RuntimeException e) {
            delivered = false;
            outcome = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.release(job);
            return;
        }
        webhooks.recordAttempt(
                webhook.get().id(), alert.get().id(), job.attempts(), outcome, delivered, clock.instant());
        metrics.webhookDelivery(delivered);
        if (delivered) {
            queue.complete(job);
            LOG.info(
                    "job {} webhook {} alert {}: delivered ({}), attempt {}",
                    job.id(),
                    webhook.get().id(),
                    alert.get().id(),
                    outcome,
                    job.attempts());
        } else if (job.attempts() < job.maxAttempts()) {
            Duration delay = settings.retryBackoff().multipliedBy(1L << Math.min(10, job.attempts() - 1));
            queue.retry(job, outcome, delay);
            LOG.warn(
                    "job {} webhook {} alert {}: attempt {} of {} failed ({}); retrying in {}",
                    job.id(),
                    webhook.get().id(),
                    alert.get().id(),
                    job.attempts(),
                    job.maxAttempts(),
                    outcome,
                    delay);
        } else {
            queue.fail(job, outcome);
            LOG.error(
                    "job {} webhook {} alert {}: not delivered after {} attempts ({}); given up",
                    job.id(),
                    webhook.get().id(),
                    alert.get().id(),
                    job.attempts(),
                    outcome);
        }
    }

    private byte[] body(WebhookRow webhook, AlertRow alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (webhook.format().equals("slack")) {
            body.put("text", "Tollgate alert " + alert.code() + " (" + alert.severity() + "): " + alert.message());
        } else {
            body.put("id", alert.id());
            body.put("code", alert.code());
            body.put("severity", alert.severity());
            body.put("createdAt", alert.createdAt().toString());
            body.put("status", alert.status());
            body.put("releaseId", alert.releaseId().orElse(null));
            body.put("hostId", alert.hostId().orElse(null));
            body.put("path", alert.path().orElse(null));
            body.put("indicator", alert.indicator().orElse(null));
            body.put("message", alert.message());
        }
        return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    }

    /** HMAC-SHA256 of {@code body} under {@code secret} (UTF-8), in lower-case hex. */
    static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
