package dev.tollgate.server;

import dev.tollgate.store.AlertRow;
import dev.tollgate.store.Page;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String severity,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        Page<AlertRow> page = alerts.page(
                Alerts.Filter.of(code, severity, status), Validation.cursor(cursor), Validation.limit(limit));
        return new Api.ListPage<>(
                page.items().stream().map(AlertController::alert).toList(),
                page.next().orElse(null));
    }

    @PostMapping("/api/v1/alerts/{id}/acknowledgements")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresPermission(Permission.ALERT_ACKNOWLEDGE)
    Api.Alert acknowledge(@PathVariable String id, @RequestBody(required = false) Api.Acknowledge request) {
        return alert(alerts.acknowledge(
                PermissionInterceptor.caller(), id, Optional.ofNullable(request).map(Api.Acknowledge::note)));
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
