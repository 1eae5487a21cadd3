package dev.tollgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The migrations run on both databases, and the audit log's chain shows an edited entry. */
class AuditLogIT {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void migrationsRunAndTheAuditChainDetectsAnEditedEntry(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Migrations.apply(db.dataSource);
            Migrations.apply(db.dataSource); // idempotent: nothing pending the second time
            AuditLog log = new AuditLog(db.dataSource, db.transactions);
            AuditEntry first = log.append("system", "token.created", "token:1", "{\"role\":\"admin\"}", Instant.now());
            AuditEntry second = log.append("token:1", "product.created", "product:2", "{}", Instant.now());
            log.append("token:1", "release.submitted", "release:3", "{}", Instant.now());

            assertThat(first.prev()).isEqualTo(AuditLog.GENESIS);
            assertThat(second.prev()).isEqualTo(first.hash());
            assertThat(log.page(0, 10).items()).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L);
            assertThat(log.firstBrokenLink()).isEmpty();

            JdbcClient.create(db.dataSource)
                    .sql("UPDATE audit_log SET actor = 'token:9' WHERE seq = 2")
                    .update();
            assertThat(log.firstBrokenLink()).contains(2L);
        }
    }
}
