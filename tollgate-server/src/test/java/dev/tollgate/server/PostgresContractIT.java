package dev.tollgate.server;

/** The contract tests on the local PostgreSQL, as production runs. */
class PostgresContractIT extends PeopleContractTests {

    @Override
    String databaseKind() {
        return "postgresql";
    }
}
