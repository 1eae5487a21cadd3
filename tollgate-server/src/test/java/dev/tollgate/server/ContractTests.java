package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.store.AlertRepository;
import dev.tollgate.store.AlertRow;
import dev.tollgate.store.AuditLog;
import dev.tollgate.store.Ids;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The server contracts of DESIGN.md over real HTTP, against one server per database kind ({@link H2ContractIT},
 * {@link PostgresContractIT}). Each test makes its own product, so the tests do not depend on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContractTests {

    static final String ADMIN = TestServer.ADMIN_TOKEN;

    Path data;

    TestDatabase database;
    TestServer server;
    Http http;

    abstract String databaseKind();

    @BeforeAll
    void startServer(@TempDir Path dir) {
        data = dir;
        database = TestDatabase.create(databaseKind());
        server = TestServer.start(data, database);
        http = server.http;
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aCleanReleaseIsAllowedAndThe3cxStyleUpdateIsBlockedWithDiffFindingsAgainstIt() {
        String product = productWithRoot("clean-then-trojan");
        String submitter = token("ci", "submitter");

        String first =
                accepted(http.upload(submitter, product, Optional.of("1.0.0"), Optional.of(Releases3cx.clean())));
        JsonNode clean = awaitVetted(first);
        assertThat(clean.path("verdict").asString()).isEqualTo("allow");
        assertThat(clean.path("approval").asString()).isEqualTo("approved");
        assertThat(clean.path("previousId").isNull()).isTrue();
        assertThat(clean.path("report").path("verdict").asString()).isEqualTo("allow");
        assertThat(clean.path("report").path("files").size()).isEqualTo(3);

        String second =
                accepted(http.upload(submitter, product, Optional.of("1.1.0"), Optional.of(Releases3cx.trojanized())));
        JsonNode update = awaitVetted(second);
        assertThat(update.path("verdict").asString()).isEqualTo("block");
        assertThat(update.path("approval").asString()).isEqualTo("pending");
        assertThat(update.path("previousId").asString()).isEqualTo(first);
        List<String> codes = codes(update);
        assertThat(codes)
                .contains(
                        "signature.appended-data",
                        "diff.modified-same-version",
                        "diff.new-import",
                        "diff.new-network-indicator");
        assertThat(update.path("report").path("verdict").asString()).isEqualTo("block");
        assertThat(update.path("findings").get(0).path("path").asString())
                .isEqualTo("OrbitPhone-1.1.0.zip!d3dcompiler_47.dll");
        assertThat(update.path("report").toString()).doesNotContain(data.toString());

        JsonNode list = http.get(submitter, "/api/v1/products/" + product + "/releases?limit=1")
                .json();
        assertThat(list.path("items").get(0).path("id").asString()).isEqualTo(second);
        String next = list.path("next").asString();
        JsonNode rest = http.get(submitter, "/api/v1/products/" + product + "/releases?limit=1&cursor=" + next)
                .json();
        assertThat(rest.path("items").get(0).path("id").asString()).isEqualTo(first);
        assertThat(rest.path("next").isNull()).isTrue();
    }

    @Test
    void aBlockNeedsTwoApproversNeitherTheSubmitterAndEachDecidesOnce() {
        String product = productWithRoot("block-override");
        String submitter = token("ci", "submitter");
        String first =
                accepted(http.upload(submitter, product, Optional.of("1.0.0"), Optional.of(Releases3cx.clean())));
        awaitVetted(first);
        Browser dora = person("dora", "submitter", "approver");
        String blocked = accepted(dora.postMultipart(
                "/api/v1/products/" + product + "/releases",
                Http.Multipart.of(Optional.of("1.1.0"), Optional.of(Releases3cx.trojanized()))));
        assertThat(awaitVetted(blocked).path("verdict").asString()).isEqualTo("block");

        String approvals = "/api/v1/releases/" + blocked + "/approvals";
        String approve = "{\"decision\": \"approve\", \"reason\": \"vendor confirmed the build\"}";
        assertProblem(dora.postJson(approvals, approve), 403, "You submitted this release");
        assertProblem(http.postJson(ADMIN, approvals, approve), 403, "API tokens may not");
        assertProblem(http.postJson(token("robot", "approver"), approvals, approve), 403, "API tokens may not");
        assertProblem(http.postJson(submitter, approvals, approve), 403, "release:decide");

        Browser alice = person("alice", "approver");
        Browser bob = person("bob", "approver");
        var one = alice.postJson(approvals, approve);
        assertThat(one.status()).as(one.body()).isEqualTo(201);
        assertThat(one.field("approval")).isEqualTo("pending");
        assertProblem(alice.postJson(approvals, approve), 403, "already decided");
        var two = bob.postJson(approvals, approve);
        assertThat(two.status()).isEqualTo(201);
        assertThat(two.field("approval")).isEqualTo("approved");
        JsonNode release = http.get(ADMIN, "/api/v1/releases/" + blocked).json();
        assertThat(release.path("approval").asString()).isEqualTo("approved");
        assertThat(release.path("approvals").size()).isEqualTo(2);
        assertProblem(person("carol", "approver").postJson(approvals, approve), 409, "already approved");
    }

    @Test
    void aHoldIsApprovedByOneApproverAndARejectionRejects() {
        String product = heldProduct("hold");
        String held = accepted(
                http.upload(ADMIN, product, Optional.of("2.0"), Optional.of(Releases3cx.unsigned("orbit-2.0.zip"))));
        assertThat(awaitVetted(held).path("verdict").asString()).isEqualTo("hold");
        Browser approver = person("approver", "approver");
        var decided = approver.postJson(
                "/api/v1/releases/" + held + "/approvals",
                "{\"decision\": \"approve\", \"reason\": \"unsigned helper is known\"}");
        assertThat(decided.status()).isEqualTo(201);
        assertThat(decided.field("approval")).isEqualTo("approved");

        String rejected = accepted(
                http.upload(ADMIN, product, Optional.of("2.1"), Optional.of(Releases3cx.unsigned("orbit-2.1.zip"))));
        awaitVetted(rejected);
        var no = approver.postJson(
                "/api/v1/releases/" + rejected + "/approvals",
                "{\"decision\": \"reject\", \"reason\": \"not expected\"}");
        assertThat(no.field("approval")).isEqualTo("rejected");
        assertProblem(
                approver.postJson(
                        "/api/v1/releases/" + rejected + "/approvals", "{\"decision\": \"maybe\", \"reason\": \"x\"}"),
                400,
                "'decision'");
    }

    @Test
    void theSameBytesAsTheSameVersionGiveTheSameReleaseAndOtherBytesAreAConflict() {
        String product = productWithRoot("idempotent");
        Http.NamedBytes release = Releases3cx.clean();
        var first = http.upload(ADMIN, product, Optional.of("1.0.0"), Optional.of(release));
        var again = http.upload(ADMIN, product, Optional.of("1.0.0"), Optional.of(release));
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.field("id")).isEqualTo(first.field("id"));
        assertProblem(
                http.upload(ADMIN, product, Optional.of("1.0.0"), Optional.of(Releases3cx.trojanized())),
                409,
                "already uploaded with other content");
    }

    @Test
    void badInputIsAClearProblemThatNamesWhatIsWrongAndNeverInternals() {
        String product = product("bad-input");
        String products = "/api/v1/products";
        assertProblem(http.postJson(ADMIN, products, "{\"vendor\": \"x\", "), 400, "not well-formed JSON");
        assertProblem(http.postJson(ADMIN, products, "{\"vendor\": {\"a\": 1}, \"name\": \"n\"}"), 400, "'vendor'");
        assertProblem(http.postJson(ADMIN, products, "{\"vendor\": \"x\"}"), 400, "'name'");
        assertProblem(
                http.postJson(ADMIN, products, "{\"vendor\": \"x\", \"name\": \"y\", \"maxReleaseBytes\": -1}"),
                400,
                "'maxReleaseBytes'");
        assertProblem(http.post(ADMIN, products, "text/plain", "vendor=x"), 415, "content type");
        assertProblem(http.get(ADMIN, "/api/v1/products/" + Ids.next()), 404, "No product");
        assertProblem(http.get(ADMIN, "/api/v1/products/not-an-id'--"), 404, "No product");
        assertProblem(http.get(ADMIN, "/api/v1/releases/" + Ids.next()), 404, "No release");
        assertProblem(http.get(ADMIN, "/api/v1/products?limit=100000"), 400, "'limit'");
        assertProblem(http.get(ADMIN, "/api/v1/products?limit=abc"), 400, "'limit'");
        assertProblem(http.get(ADMIN, "/api/v1/nothing-here"), 404, "nothing at this path");

        Http.NamedBytes file = Releases3cx.clean();
        assertProblem(http.upload(ADMIN, Ids.next(), Optional.of("1"), Optional.of(file)), 404, "No product");
        assertProblem(http.upload(ADMIN, product, Optional.empty(), Optional.of(file)), 400, "'version'");
        assertProblem(http.upload(ADMIN, product, Optional.of("1"), Optional.empty()), 400, "'file'");
        assertProblem(http.upload(ADMIN, product, Optional.of("../1"), Optional.of(file)), 400, "'version'");
        Http.Multipart whole = Http.Multipart.of(Optional.of("1.0"), Optional.of(file));
        byte[] truncated = java.util.Arrays.copyOf(whole.bytes(), whole.bytes().length / 2);
        assertProblem(
                http.postMultipart(ADMIN, "/api/v1/products/" + product + "/releases", whole.boundary(), truncated),
                400,
                "malformed or truncated");

        String small = http.postJson(
                        ADMIN, products, "{\"vendor\": \"Tiny\", \"name\": \"tiny\", \"maxReleaseBytes\": 1000}")
                .field("id");
        assertProblem(http.upload(ADMIN, small, Optional.of("1"), Optional.of(file)), 413, "limit of 1000 bytes");

        String policy = "/api/v1/products/" + product + "/policy";
        assertProblem(http.put(ADMIN, policy, "application/yaml", "bogus: 1\n"), 400, "unknown key 'bogus'");
        assertProblem(
                http.put(ADMIN, policy, "application/yaml", "severities:\n  pe.overlay: urgent\n"), 400, "pe.overlay");
        assertProblem(http.put(ADMIN, policy, "application/yaml", "block: [critical\n"), 400, "not valid YAML");

        String anchors = "/api/v1/products/" + product + "/trust-anchors";
        assertProblem(http.post(ADMIN, anchors, "application/x-pem-file", "hello"), 400, "not PEM");
        assertProblem(
                http.post(ADMIN, anchors, "application/x-www-form-urlencoded", Releases3cx.rootPem()),
                415,
                "application/x-pem-file");
        assertProblem(http.get(ADMIN, "/api/v1/products/a%2Fb"), 400, "malformed");
        assertProblem(
                http.post(
                        ADMIN,
                        anchors,
                        "application/x-pem-file",
                        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                400,
                "not a valid X.509 certificate");
        assertProblem(
                http.post(
                        ADMIN,
                        anchors,
                        "application/x-pem-file",
                        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
                400,
                "not a CERTIFICATE");

        assertProblem(http.get("tg_unknown_token_0000000000000000", "/api/v1/products"), 401, "unknown");
        assertProblem(http.get(null, "/api/v1/products"), 401, "Authentication is required");
        assertProblem(http.postJson(ADMIN, "/api/v1/tokens", "{\"name\": \"x\", \"role\": \"root\"}"), 400, "'role'");
    }

    @Test
    void rolesGetOnlyTheirPermissionsAndTokensAreShownOnce() {
        var created = http.postJson(ADMIN, "/api/v1/tokens", "{\"name\": \"pipeline\", \"role\": \"submitter\"}");
        assertThat(created.status()).isEqualTo(201);
        String submitter = created.field("token");
        assertThat(submitter).startsWith("tg_");
        assertProblem(
                http.postJson(submitter, "/api/v1/products", "{\"vendor\": \"a\", \"name\": \"b\"}"),
                403,
                "product:write");
        assertProblem(http.get(submitter, "/api/v1/audit"), 403, "audit:read");
        String auditor = token("auditor", "auditor");
        assertThat(http.get(auditor, "/api/v1/audit").status()).isEqualTo(200);
        assertThat(http.get(auditor, "/api/v1/products").status()).isEqualTo(200);
        assertProblem(
                http.postJson(auditor, "/api/v1/tokens", "{\"name\": \"x\", \"role\": \"admin\"}"),
                403,
                "token:create");
        assertProblem(
                http.postJson(
                        ADMIN,
                        "/api/v1/tokens",
                        "{\"name\": \"old\", \"role\": \"auditor\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}"),
                400,
                "'expiresAt'");
        assertThat(http.get(ADMIN, "/api/v1/audit?limit=200").body()).doesNotContain(submitter);
    }

    @Test
    void theAuditLogIsAHashChainOldestFirst() {
        product("audited");
        List<JsonNode> entries = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page =
                    http.get(ADMIN, "/api/v1/audit?limit=7&cursor=" + cursor).json();
            page.path("items").forEach(entries::add);
            cursor = page.path("next").isNull() ? null : page.path("next").asString();
        } while (cursor != null);
        assertThat(entries).isNotEmpty();
        String prev = AuditLog.GENESIS;
        long seq = 1;
        for (JsonNode e : entries) {
            assertThat(e.path("seq").asLong()).isEqualTo(seq++);
            assertThat(e.path("prev").asString()).isEqualTo(prev);
            String hash = AuditLog.hash(
                    prev,
                    e.path("seq").asLong(),
                    Instant.parse(e.path("time").asString()),
                    e.path("actor").asString(),
                    e.path("action").asString(),
                    e.path("subject").asString(),
                    e.path("details").toString());
            assertThat(e.path("hash").asString()).isEqualTo(hash);
            prev = hash;
        }
        assertThat(entries.getFirst().path("action").asString()).isEqualTo("token.bootstrapped");
    }

    @Test
    void alertsAreListedNewestFirstAndAcknowledgedOnce() {
        AlertRepository alerts = server.bean(AlertRepository.class);
        String older = Ids.next();
        String newer = Ids.next();
        for (String id : List.of(older, newer)) {
            alerts.insert(new AlertRow(
                    id,
                    "intel.hash",
                    "critical",
                    "open",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of("OrbitPhone.zip!ffmpeg.dll"),
                    Optional.of("deadbeef"),
                    "a test alert",
                    Instant.now(),
                    Optional.empty(),
                    Optional.empty()));
        }
        JsonNode list = http.get(ADMIN, "/api/v1/alerts").json();
        List<String> ids = new ArrayList<>();
        list.path("items").forEach(a -> ids.add(a.path("id").asString()));
        assertThat(ids.indexOf(newer)).isLessThan(ids.indexOf(older));

        String analyst = token("analyst", "analyst");
        var acknowledged = http.post(analyst, "/api/v1/alerts/" + newer + "/acknowledgements", "application/json", "");
        assertThat(acknowledged.status()).isEqualTo(201);
        assertThat(acknowledged.field("status")).isEqualTo("acknowledged");
        assertProblem(
                http.post(analyst, "/api/v1/alerts/" + newer + "/acknowledgements", "application/json", ""),
                409,
                "already acknowledged");
        assertProblem(
                http.post(
                        token("auditor", "auditor"),
                        "/api/v1/alerts/" + older + "/acknowledgements",
                        "application/json",
                        ""),
                403,
                "alert:acknowledge");
    }

    @Test
    void healthIsOpenWhileMetricsAndTheOpenApiDocumentNeedAToken() {
        var open = http.get(null, "/actuator/health");
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.field("status")).isEqualTo("UP");
        assertThat(open.body()).doesNotContain("blobStore");
        var detailed = http.get(ADMIN, "/actuator/health").json();
        assertThat(detailed.path("components").path("blobStore").path("status").asString())
                .isEqualTo("UP");
        assertThat(detailed.path("components").path("db").path("status").asString())
                .isEqualTo("UP");
        assertThat(detailed.path("components")
                        .path("workers")
                        .path("details")
                        .path("threads")
                        .asInt())
                .isPositive();

        assertProblem(http.get(null, "/actuator/prometheus"), 401, "Authentication is required");
        var metrics = http.get(ADMIN, "/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("tollgate_queue_depth");

        assertProblem(http.get(null, "/api/v1/openapi.json"), 401, "Authentication is required");
        var openapi = http.get(ADMIN, "/api/v1/openapi.json");
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.body()).contains("/api/v1/products/{id}/releases");
    }

    // helpers

    static final String PASSWORD = "violet tractor quietly 42";

    /** A new user with {@code roles}, logged in through the browser flow (enrolled on the way). */
    Browser person(String name, String... roles) {
        String username = user(name, roles);
        return new Browser(server).logIn(username, PASSWORD);
    }

    /** A new user with {@code roles}; returns the username. */
    String user(String name, String... roles) {
        String username = name + "-" + Ids.next().substring(24);
        String list = String.join("\", \"", roles);
        var created = http.postJson(
                ADMIN,
                "/api/v1/users",
                "{\"username\": \"" + username + "\", \"password\": \"" + PASSWORD + "\", \"roles\": [\"" + list
                        + "\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return username;
    }

    /** A product whose policy holds an unsigned release. */
    String heldProduct(String name) {
        String product = product(name);
        assertThat(http.put(
                                ADMIN,
                                "/api/v1/products/" + product + "/policy",
                                "application/yaml",
                                "severities:\n  signature.missing: high\n")
                        .status())
                .isEqualTo(200);
        return product;
    }

    String token(String name, String role) {
        var created =
                http.postJson(ADMIN, "/api/v1/tokens", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.field("token");
    }

    String product(String name) {
        var created = http.postJson(
                ADMIN,
                "/api/v1/products",
                "{\"vendor\": \"Orbit Telecom\", \"name\": \"" + name + "-" + Ids.next() + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.field("id");
    }

    String productWithRoot(String name) {
        String id = product(name);
        var added = http.post(
                ADMIN, "/api/v1/products/" + id + "/trust-anchors", "application/x-pem-file", Releases3cx.rootPem());
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        return id;
    }

    static String accepted(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.field("status")).isEqualTo("queued");
        return response.field("id");
    }

    JsonNode awaitVetted(String releaseId) {
        return awaitVetted(http, releaseId);
    }

    static JsonNode awaitVetted(Http http, String releaseId) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            JsonNode release = http.get(ADMIN, "/api/v1/releases/" + releaseId).json();
            String status = release.path("status").asString();
            if (status.equals("done") || status.equals("failed")) {
                assertThat(status).as(release.path("failure").asString()).isEqualTo("done");
                return release;
            }
            assertThat(System.nanoTime())
                    .as("release " + releaseId + " vetted in time")
                    .isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static List<String> codes(JsonNode release) {
        List<String> codes = new ArrayList<>();
        release.path("findings").forEach(f -> codes.add(f.path("code").asString()));
        return codes;
    }

    /** A problem+json answer with this status whose detail says {@code says}, and nothing of the server's insides. */
    static void assertProblem(Http.Response response, int status, String says) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).contains(says);
        assertThat(response.body())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("org.springframework")
                .doesNotContain("java.")
                .doesNotContain("SELECT")
                .doesNotContain("tools.jackson")
                .doesNotContain("trace");
    }
}
