package dev.tollgate.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.store.AlertRepository;
import dev.tollgate.store.ApprovalRepository;
import dev.tollgate.store.AuditLog;
import dev.tollgate.store.BlobStore;
import dev.tollgate.store.IntelRepository;
import dev.tollgate.store.JobQueue;
import dev.tollgate.store.Migrations;
import dev.tollgate.store.ProductRepository;
import dev.tollgate.store.ReleaseRepository;
import dev.tollgate.store.TokenRepository;
import dev.tollgate.store.UserRepository;
import dev.tollgate.store.WebhookRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where the server keeps things: the database (PostgreSQL when a URL is given, else an H2 file under the data
 * directory), migrated before anything uses it; the blob store; the repositories of {@code tollgate-store}.
 */
@Configuration
class StorageConfiguration {

    @Bean
    @ConditionalOnMissingBean(Clock.class) // tests register a clock they can move
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(ServerSettings settings, Environment environment) throws IOException {
        String url = settings.configuredDatabaseUrl()
                .or(() -> java.util.Optional.ofNullable(environment.getProperty("TOLLGATE_DATABASE_URL"))
                        .filter(u -> !u.isBlank()))
                .orElseGet(() -> h2Url(settings.dataDirectory()));
        boolean h2 = url.startsWith("jdbc:h2:");
        if (!h2 && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("the database URL must start with jdbc:postgresql: or jdbc:h2:");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("tollgate");
        config.setJdbcUrl(url);
        config.setUsername(environment.getProperty("TOLLGATE_DATABASE_USER", h2 ? "sa" : "postgres"));
        config.setPassword(environment.getProperty("TOLLGATE_DATABASE_PASSWORD", ""));
        config.setMaximumPoolSize(Math.max(10, settings.workers() * 2 + 6));
        config.setInitializationFailTimeout(30_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Migrations.apply(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean
    TransactionTemplate transactionTemplate(PlatformTransactionManager transactions) {
        return new TransactionTemplate(transactions);
    }

    @Bean
    BlobStore blobStore(ServerSettings settings) throws IOException {
        return new BlobStore(
                settings.dataDirectory().resolve("blobs"),
                settings.blobReserve().toBytes());
    }

    @Bean
    ProductRepository productRepository(DataSource dataSource) {
        return new ProductRepository(dataSource);
    }

    @Bean
    ReleaseRepository releaseRepository(DataSource dataSource) {
        return new ReleaseRepository(dataSource);
    }

    @Bean
    ApprovalRepository approvalRepository(DataSource dataSource) {
        return new ApprovalRepository(dataSource);
    }

    @Bean
    TokenRepository tokenRepository(DataSource dataSource) {
        return new TokenRepository(dataSource);
    }

    @Bean
    UserRepository userRepository(DataSource dataSource) {
        return new UserRepository(dataSource);
    }

    @Bean
    AlertRepository alertRepository(DataSource dataSource) {
        return new AlertRepository(dataSource);
    }

    @Bean
    IntelRepository intelRepository(DataSource dataSource) {
        return new IntelRepository(dataSource);
    }

    @Bean
    WebhookRepository webhookRepository(DataSource dataSource) {
        return new WebhookRepository(dataSource);
    }

    @Bean
    AuditLog auditLog(DataSource dataSource, PlatformTransactionManager transactions) {
        return new AuditLog(dataSource, transactions);
    }

    @Bean
    JobQueue jobQueue(DataSource dataSource, PlatformTransactionManager transactions, Clock clock) {
        return new JobQueue(dataSource, transactions, clock);
    }

    /** The embedded database: one file under the data directory, in PostgreSQL mode so that one schema fits both. */
    static String h2Url(Path data) {
        String dir = data.resolve("database").toString();
        if (dir.contains(";")) {
            throw new IllegalStateException("the data directory's path cannot contain ';': " + data);
        }
        return "jdbc:h2:file:" + dir + "/tollgate;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }
}
