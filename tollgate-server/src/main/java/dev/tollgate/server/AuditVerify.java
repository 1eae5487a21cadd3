package dev.tollgate.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.store.AuditLog;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * {@code ./tollgate audit verify [--data DIR | --database URL]}: checks the audit log's hash chain without starting the
 * server, and names the first entry changed, removed or reordered. It lives in the server's jar because that jar has
 * the database drivers and knows where {@code --data} keeps the H2 database; the CLI's jar stays free of both.
 * Exit codes: 0 intact, 1 broken (or unreadable), 2 usage.
 */
public final class AuditVerify {

    static final int INTACT = 0;
    static final int BROKEN = 1;
    static final int USAGE = 2;

    private AuditVerify() {}

    public static void main(String[] args) {
        // stdout is the verdict only: no connection pool chatter
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        System.exit(run(args));
    }

    static int run(String[] args) {
        Optional<Path> data = Optional.empty();
        Optional<String> url =
                Optional.ofNullable(System.getenv("TOLLGATE_DATABASE_URL")).filter(u -> !u.isBlank());
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
                arg = arg.substring(0, arg.indexOf('='));
            } else if ((arg.equals("--data") || arg.equals("--database")) && i + 1 < args.length) {
                value = args[++i];
            }
            switch (arg) {
                case "--data" -> data = Optional.ofNullable(value).map(Path::of);
                case "--database" -> url = Optional.ofNullable(value);
                case "-h", "--help" -> {
                    System.err.println("Usage: tollgate audit verify [--data DIR | --database JDBC_URL]");
                    return INTACT;
                }
                default -> {
                    System.err.println("tollgate audit verify: unknown option '" + args[i] + "'");
                    System.err.println("Usage: tollgate audit verify [--data DIR | --database JDBC_URL]");
                    return USAGE;
                }
            }
            if (value == null) {
                System.err.println("tollgate audit verify: " + arg + " needs a value");
                return USAGE;
            }
        }
        ServerSettings settings = new ServerSettings(
                data.orElse(null),
                null,
                "all",
                2,
                0,
                org.springframework.util.unit.DataSize.ofGigabytes(8),
                org.springframework.util.unit.DataSize.ofGigabytes(2),
                org.springframework.util.unit.DataSize.ofMegabytes(256),
                java.time.Duration.ofSeconds(60),
                java.time.Duration.ofSeconds(1),
                3,
                java.time.Duration.ofSeconds(30),
                java.time.Duration.ofSeconds(30));
        // IFEXISTS: never create an empty database where the log should be
        String jdbcUrl = data.isPresent() || url.isEmpty()
                ? StorageConfiguration.h2Url(settings.dataDirectory()) + ";IFEXISTS=TRUE"
                : url.get();
        if (jdbcUrl.startsWith("jdbc:h2:")
                && !settings.dataDirectory()
                        .resolve("database")
                        .resolve("tollgate.mv.db")
                        .toFile()
                        .exists()) {
            System.err.println("tollgate audit verify: no Tollgate database under " + settings.dataDirectory());
            return BROKEN;
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        boolean h2 = jdbcUrl.startsWith("jdbc:h2:");
        config.setUsername(
                Optional.ofNullable(System.getenv("TOLLGATE_DATABASE_USER")).orElse(h2 ? "sa" : "postgres"));
        config.setPassword(
                Optional.ofNullable(System.getenv("TOLLGATE_DATABASE_PASSWORD")).orElse(""));
        config.setMaximumPoolSize(2);
        config.setReadOnly(true);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            AuditLog log = new AuditLog(dataSource, new JdbcTransactionManager(dataSource));
            Optional<String> broken = log.verify();
            if (broken.isPresent()) {
                System.out.println("audit log BROKEN: " + broken.get());
                return BROKEN;
            }
            System.out.println("audit log intact: " + log.count() + " entries");
            return INTACT;
        } catch (RuntimeException e) {
            System.err.println("tollgate audit verify: cannot read the audit log at " + redact(jdbcUrl) + ": "
                    + e.getClass().getSimpleName());
            return BROKEN;
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
