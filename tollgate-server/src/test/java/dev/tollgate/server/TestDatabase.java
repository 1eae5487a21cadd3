package dev.tollgate.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The database one test class runs against: {@code h2} (the server's embedded default, under its data directory) or
 * {@code postgresql} (a new database {@code tollgate_it_<random>} on the local PostgreSQL, dropped on close).
 * PostgreSQL being unreachable fails the test, unless {@code TOLLGATE_TEST_NO_POSTGRES=1} says to skip it.
 */
final class TestDatabase implements AutoCloseable {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

    private final String kind;
    private final String name;

    private TestDatabase(String kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    static TestDatabase create(String kind) {
        if (kind.equals("h2")) {
            return new TestDatabase(kind, null);
        }
        if (!kind.equals("postgresql")) {
            throw new IllegalArgumentException(kind);
        }
        String name = "tollgate_it_" + HexFormat.of().formatHex(randomBytes());
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
        return new TestDatabase(kind, name);
    }

    /** The JDBC URL to give the server; empty for H2, which the server puts under its data directory. */
    String url() {
        return name == null ? "" : POSTGRES + name;
    }

    String kind() {
        return kind;
    }

    @Override
    public void close() throws SQLException {
        if (name == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
