package dev.tollgate.server;

import dev.tollgate.store.Ids;
import dev.tollgate.store.JobQueue;
import dev.tollgate.store.WebhookRepository;
import dev.tollgate.store.WebhookRow;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Webhooks: where alerts are posted. The signing secret is sealed ({@link SecretBox}, bound to the webhook's id) and
 * never returned, logged or audited. Each new alert becomes one delivery job per webhook ({@link WebhookDelivery}).
 */
@Service
final class Webhooks {

    /** Deliveries tried at most this often (with growing delays), then failed and logged. */
    static final int MAX_ATTEMPTS = 5;

    private final WebhookRepository webhooks;
    private final SecretBox secrets;
    private final JobQueue queue;
    private final Audit audit;
    private final TransactionTemplate transaction;
    private final Clock clock;

    Webhooks(
            WebhookRepository webhooks,
            SecretBox secrets,
            JobQueue queue,
            Audit audit,
            TransactionTemplate transaction,
            Clock clock) {
        this.webhooks = webhooks;
        this.secrets = secrets;
        this.queue = queue;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
    }

    WebhookRow create(Caller caller, Api.CreateWebhook request) {
        if (request == null) {
            throw ProblemException.badRequest("The body must be JSON with the fields 'url', 'secret' and 'format'.");
        }
        String url = url(Validation.text(request.url(), "url", 2048));
        if (request.secret() == null
                || request.secret().length() < 16
                || request.secret().length() > 256) {
            throw ProblemException.badRequest("The field 'secret' must have 16 to 256 characters.");
        }
        String format = request.format() == null ? "json" : request.format().toLowerCase(Locale.ROOT);
        if (!format.equals("json") && !format.equals("slack")) {
            throw ProblemException.badRequest("The field 'format' must be 'json' or 'slack'.");
        }
        String id = Ids.next();
        WebhookRow row = new WebhookRow(
                id, url, secrets.seal(request.secret(), "webhook:" + id), format, caller.actor(), clock.instant());
        transaction.executeWithoutResult(status -> {
            webhooks.insert(row);
            audit.record(caller.actor(), "webhook.created", "webhook:" + id, Map.of("url", url, "format", format));
        });
        return row;
    }

    /** Queues the delivery of an alert to every webhook; joins the caller's transaction. */
    void enqueueDeliveries(String alertId) {
        for (WebhookRow webhook : webhooks.all()) {
            queue.enqueue(WebhookDelivery.KIND, webhook.id() + " " + alertId, MAX_ATTEMPTS);
        }
    }

    private static String url(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw ProblemException.badRequest("The field 'url' is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ProblemException.badRequest("The field 'url' must be an http or https URL.");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw ProblemException.badRequest("The field 'url' must name a host.");
        }
        if (uri.getUserInfo() != null) {
            throw ProblemException.badRequest("The field 'url' must not carry credentials; use the secret.");
        }
        return uri.toString();
    }
}
