package dev.tollgate.server;

/** The contract tests on the local PostgreSQL, as production runs. */
class PostgresContractIT extends ContractTests {

    @Override
    String databaseKind() {
        return "postgresql";
    }
}
