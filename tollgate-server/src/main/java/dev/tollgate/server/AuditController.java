package dev.tollgate.server;

import dev.tollgate.store.AuditEntry;
import dev.tollgate.store.Page;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log, oldest first, each entry with its place in the hash chain. */
@RestController
final class AuditController {

    private final Audit log;

    AuditController(Audit log) {
        this.log = log;
    }

    @GetMapping("/api/v1/audit")
    @RequiresPermission(Permission.AUDIT_READ)
    Api.ListPage<Api.AuditEntry> list(
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        long after = 0;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                after = -1;
            }
            if (after < 0) {
                throw ProblemException.badRequest("The parameter 'cursor' is not a cursor this server gave out.");
            }
        }
        Page<AuditEntry> page = log.page(after, Validation.limit(limit));
        return new Api.ListPage<>(
                page.items().stream()
                        .map(e -> new Api.AuditEntry(
                                e.seq(),
                                e.at(),
                                e.actor(),
                                e.action(),
                                e.subject(),
                                e.detailsJson(),
                                e.prev(),
                                e.hash()))
                        .toList(),
                page.next().orElse(null));
    }
}
