package dev.tollgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * A fresh, empty database for one test class: H2 in memory in PostgreSQL mode, or a new database on the local
 * PostgreSQL ({@code tollgate_it_<random>}, dropped on close). PostgreSQL being unreachable fails the test, unless
 * {@code TOLLGATE_TEST_NO_POSTGRES=1} says to skip it.
 */
final class TestDatabase implements AutoCloseable {

    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

    private final String url;
    private final String user;
    private final String dropName;
    final DataSource dataSource;
    final DataSourceTransactionManager transactions;

    private TestDatabase(String url, String user, String dropName) {
        this.url = url;
        this.user = user;
        this.dropName = dropName;
        this.dataSource = new SimpleDriverDataSource(driver(url), url, user, "");
        this.transactions = new DataSourceTransactionManager(dataSource);
    }

    static TestDatabase create(String kind) {
        return switch (kind) {
            case "h2" ->
                new TestDatabase(
                        "jdbc:h2:mem:" + randomName()
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                        "sa",
                        null);
            case "postgresql" -> postgres();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static TestDatabase postgres() {
        String name = "tollgate_it_" + randomName();
        try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("1".equals(System.getenv("TOLLGATE_TEST_NO_POSTGRES"))) {
                Assumptions.abort(
                        "PostgreSQL at 127.0.0.1:5432 is unreachable and TOLLGATE_TEST_NO_POSTGRES=1: skipped");
            }
            throw new IllegalStateException(
                    "PostgreSQL at 127.0.0.1:5432 (user postgres) is needed by this test and is unreachable: "
                            + e.getMessage()
                            + ". Start it (bin/test does as root), or set TOLLGATE_TEST_NO_POSTGRES=1 to skip.",
                    e);
        }
        return new TestDatabase(POSTGRES + name, "postgres", name);
    }

    String url() {
        return url;
    }

    @Override
    public void close() throws SQLException {
        if (dropName == null) {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
            return;
        }
        try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", user, "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + dropName + " WITH (FORCE)");
        }
    }

    private static java.sql.Driver driver(String url) {
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new IllegalStateException("no JDBC driver for " + url, e);
        }
    }

    private static String randomName() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
