package dev.tollgate.server;

import dev.tollgate.store.AlertRepository;
import dev.tollgate.store.AlertRow;
import dev.tollgate.store.Page;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Alerts: listed newest first, acknowledged once. (Retro-hunts and fleet watch raise them.) */
@Service
final class Alerts {

    private final AlertRepository alerts;
    private final Audit audit;
    private final Clock clock;
    private final TransactionTemplate transaction;

    Alerts(AlertRepository alerts, Audit audit, Clock clock, TransactionTemplate transaction) {
        this.alerts = alerts;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
    }

    /** What an alert list is narrowed to; every value checked against its closed set or form. */
    record Filter(Optional<String> code, Optional<String> severity, Optional<String> status) {

        private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{0,99}");
        private static final java.util.Set<String> SEVERITIES =
                java.util.Set.of("critical", "high", "medium", "low", "info");
        private static final java.util.Set<String> STATUSES = java.util.Set.of("open", "acknowledged");

        static Filter of(String code, String severity, String status) {
            if (code != null && !CODE.matcher(code).matches()) {
                throw ProblemException.badRequest("The parameter 'code' must be an alert code such as intel.hash.");
            }
            if (severity != null && !SEVERITIES.contains(severity)) {
                throw ProblemException.badRequest(
                        "The parameter 'severity' must be one of critical, high, medium, low, info.");
            }
            if (status != null && !STATUSES.contains(status)) {
                throw ProblemException.badRequest("The parameter 'status' must be open or acknowledged.");
            }
            return new Filter(Optional.ofNullable(code), Optional.ofNullable(severity), Optional.ofNullable(status));
        }
    }

    Page<AlertRow> page(Optional<String> before, int limit) {
        return alerts.page(before, limit);
    }

    Page<AlertRow> page(Filter filter, Optional<String> before, int limit) {
        return alerts.page(filter.code(), filter.severity(), filter.status(), before, limit);
    }

    AlertRow acknowledge(Caller caller, String id) {
        return acknowledge(caller, id, Optional.empty());
    }

    AlertRow acknowledge(Caller caller, String id, Optional<String> note) {
        Optional<String> checked = note.map(n -> Validation.text(n, "note", 2000));
        String alertId = Validation.id(id, "alert");
        return transaction.execute(status -> {
            AlertRow alert = alerts.find(alertId).orElseThrow(() -> ProblemException.notFound("No alert has this id."));
            if (!alerts.acknowledge(alertId, caller.actor(), clock.instant())) {
                throw ProblemException.conflict("The alert was already acknowledged by "
                        + alert.acknowledgedBy().orElse("someone") + ".");
            }
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("code", alert.code());
            checked.ifPresent(n -> details.put("note", n));
            audit.record(caller.actor(), "alert.acknowledged", "alert:" + alertId, details);
            return alerts.find(alertId).orElseThrow();
        });
    }
}
