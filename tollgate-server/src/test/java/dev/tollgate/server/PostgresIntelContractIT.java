package dev.tollgate.server;

/** Intel, retro-hunt, alerts and webhooks on the local PostgreSQL. */
class PostgresIntelContractIT extends IntelContractTests {

    @Override
    String databaseKind() {
        return "postgresql";
    }
}
