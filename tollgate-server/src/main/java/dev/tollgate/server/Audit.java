package dev.tollgate.server;

import dev.tollgate.store.AuditLog;
import java.time.Clock;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Appends to the audit log with details as JSON; joins the caller's transaction. Never give it a secret. */
@Component
final class Audit {

    static final String SYSTEM = "system";

    private final AuditLog log;
    private final JsonMapper json;
    private final Clock clock;

    Audit(AuditLog log, JsonMapper json, Clock clock) {
        this.log = log;
        this.json = json;
        this.clock = clock;
    }

    /** Entries oldest first, after the sequence number {@code afterSeq}. */
    dev.tollgate.store.Page<dev.tollgate.store.AuditEntry> page(long afterSeq, int limit) {
        return log.page(afterSeq, limit);
    }

    void record(String actor, String action, String subject, Map<String, ?> details) {
        log.append(actor, action, subject, json.writeValueAsString(details), clock.instant());
    }
}
