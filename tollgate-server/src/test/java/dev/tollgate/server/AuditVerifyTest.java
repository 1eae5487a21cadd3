package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.store.AuditLog;
import dev.tollgate.store.Migrations;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/** {@code tollgate audit verify --data DIR}: 0 on an intact chain, 1 naming the entry once one row is edited. */
class AuditVerifyTest {

    @Test
    void exitsZeroWhenIntactAndOneNamingTheEditedEntry(@TempDir Path data) {
        String url = StorageConfiguration.h2Url(data);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        try (HikariDataSource ds = new HikariDataSource(config)) {
            Migrations.apply(ds);
            AuditLog log = new AuditLog(ds, new JdbcTransactionManager(ds));
            for (int i = 0; i < 3; i++) {
                log.append("system", "token.created", "token:" + i, "{}", Instant.now());
            }
        }
        assertThat(AuditVerify.run(new String[] {"--data", data.toString()})).isEqualTo(AuditVerify.INTACT);
        try (HikariDataSource ds = new HikariDataSource(config)) {
            JdbcClient.create(ds)
                    .sql("UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 2")
                    .update();
        }
        assertThat(AuditVerify.run(new String[] {"--data=" + data})).isEqualTo(AuditVerify.BROKEN);
        assertThat(AuditVerify.run(new String[] {"--bogus"})).isEqualTo(AuditVerify.USAGE);
        assertThat(AuditVerify.run(new String[] {"--data", data.resolve("none").toString()}))
                .isEqualTo(AuditVerify.BROKEN);
    }
}
