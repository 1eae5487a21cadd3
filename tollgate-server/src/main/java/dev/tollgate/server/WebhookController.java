package dev.tollgate.server;

import dev.tollgate.store.WebhookRow;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Webhooks: alerts are posted there, signed. */
@RestController
final class WebhookController {

    private final Webhooks webhooks;

    WebhookController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping(path = "/api/v1/webhooks", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.WEBHOOK_WRITE)
    ResponseEntity<Api.Webhook> create(@RequestBody Api.CreateWebhook request) {
        WebhookRow row = webhooks.create(PermissionInterceptor.caller(), request);
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/webhooks/" + row.id()))
                .body(new Api.Webhook(row.id(), row.url(), row.format(), row.createdBy(), row.createdAt()));
    }
}
