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

    Page<AlertRow> page(Optional<String> before, int limit) {
        return alerts.page(before, limit);
    }

    AlertRow acknowledge(Caller caller, String id) {
        String alertId = Validation.id(id, "alert");
        return transaction.execute(status -> {
            AlertRow alert = alerts.find(alertId).orElseThrow(() -> ProblemException.notFound("No alert has this id."));
            if (!alerts.acknowledge(alertId, caller.actor(), clock.instant())) {
                throw ProblemException.conflict("The alert was already acknowledged by "
                        + alert.acknowledgedBy().orElse("someone") + ".");
            }
            audit.record(caller.actor(), "alert.acknowledged", "alert:" + alertId, Map.of("code", alert.code()));
            return alerts.find(alertId).orElseThrow();
        });
    }
}
