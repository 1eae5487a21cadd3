package dev.tollgate.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Brings a database to the current schema with the Flyway migrations under {@code db/migration} in this module. */
public final class Migrations {

    private Migrations() {}

    /** Applies every pending migration; fails when an applied migration was changed since (they are append-only). */
    public static void apply(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .validateMigrationNaming(true)
                .load()
                .migrate();
    }
}
