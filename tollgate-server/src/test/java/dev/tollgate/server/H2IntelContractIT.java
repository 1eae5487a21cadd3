package dev.tollgate.server;

/** Intel, retro-hunt, alerts and webhooks on the embedded H2 database. */
class H2IntelContractIT extends IntelContractTests {

    @Override
    String databaseKind() {
        return "h2";
    }
}
