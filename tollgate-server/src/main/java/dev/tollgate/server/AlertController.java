package dev.tollgate.server;

import dev.tollgate.store.AlertRow;
import dev.tollgate.store.Page;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Alerts, newest first, and their acknowledgement. */
@RestController
final class AlertController {

    private final Alerts alerts;

    AlertController(Alerts alerts) {
        this.alerts = alerts;
    }

    @GetMapping("/api/v1/alerts")
    @RequiresPermission(Permission.ALERT_READ)
    Api.ListPage<Api.Alert> list(
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        Page<AlertRow> page = alerts.page(Validation.cursor(cursor), Validation.limit(limit));
        return new Api.ListPage<>(
                page.items().stream().map(AlertController::alert).toList(),
                page.next().orElse(null));
    }

    @PostMapping("/api/v1/alerts/{id}/acknowledgements")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresPermission(Permission.ALERT_ACKNOWLEDGE)
    Api.Alert acknowledge(@PathVariable String id) {
        return alert(alerts.acknowledge(PermissionInterceptor.caller(), id));
    }

    static Api.Alert alert(AlertRow a) {
        return new Api.Alert(
                a.id(),
                a.code(),
                a.severity(),
                a.createdAt(),
                a.status(),
                a.releaseId().orElse(null),
                a.hostId().orElse(null),
                a.path().orElse(null),
                a.indicator().orElse(null),
                a.message(),
                a.acknowledgedBy().orElse(null),
                a.acknowledgedAt().orElse(null));
    }
}
