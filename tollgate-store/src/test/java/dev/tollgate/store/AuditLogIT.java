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

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void verifyNamesTheFirstEntryChangedRemovedOrReordered(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Migrations.apply(db.dataSource);
            AuditLog log = new AuditLog(db.dataSource, db.transactions);
            for (int i = 1; i <= 6; i++) {
                log.append("token:1", "product.created", "product:" + i, "{\"n\":" + i + "}", Instant.now());
            }
            assertThat(log.verify()).isEmpty();
            JdbcClient jdbc = JdbcClient.create(db.dataSource);

            jdbc.sql("UPDATE audit_log SET details_json = '{\"n\":99}' WHERE seq = 3")
                    .update();
            assertThat(log.verify()).hasValueSatisfying(m -> assertThat(m).startsWith("entry 3 was changed"));
            jdbc.sql("UPDATE audit_log SET details_json = '{\"n\":3}' WHERE seq = 3")
                    .update();
            assertThat(log.verify()).isEmpty();

            // reordered: entries 4 and 5 swap places (their seq values)
            jdbc.sql("UPDATE audit_log SET seq = 100 WHERE seq = 4").update();
            jdbc.sql("UPDATE audit_log SET seq = 4 WHERE seq = 5").update();
            jdbc.sql("UPDATE audit_log SET seq = 5 WHERE seq = 100").update();
            assertThat(log.verify()).hasValueSatisfying(m -> assertThat(m).startsWith("entry 4 does not link"));
            jdbc.sql("UPDATE audit_log SET seq = 100 WHERE seq = 4").update();
            jdbc.sql("UPDATE audit_log SET seq = 4 WHERE seq = 5").update();
            jdbc.sql("UPDATE audit_log SET seq = 5 WHERE seq = 100").update();
            assertThat(log.verify()).isEmpty();

            jdbc.sql("DELETE FROM audit_log WHERE seq = 6").update();
            assertThat(log.verify()).hasValueSatisfying(m -> assertThat(m).startsWith("entries 6 to 6 were removed"));
            jdbc.sql("DELETE FROM audit_log WHERE seq = 2").update();
            assertThat(log.verify()).hasValueSatisfying(m -> assertThat(m).startsWith("entry 2 is missing"));
        }
    }
}
