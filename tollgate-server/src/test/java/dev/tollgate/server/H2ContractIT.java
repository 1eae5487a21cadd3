package dev.tollgate.server;

/** The contract tests on the embedded H2 database, the default of {@code ./tollgate serve}. */
class H2ContractIT extends PeopleContractTests {

    @Override
    String databaseKind() {
        return "h2";
    }
}
