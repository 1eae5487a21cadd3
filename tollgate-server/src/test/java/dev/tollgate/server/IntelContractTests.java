package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.store.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Intel import, the retro-hunt on stored facts, alerts and signed webhooks, over HTTP, on one server per database
 * kind ({@link H2IntelContractIT}, {@link PostgresIntelContractIT}). The release is made of the engine's fixtures: a
 * 3CX-style ffmpeg.dll (orbit-trojanized-signed.dll, validly signed, naming cdn.orbit-update.example.com) that the
 * first vetting allows, as happened with 3CX, until intel arrives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IntelContractTests {

    static final String ADMIN = TestServer.ADMIN_TOKEN;
    static final String SECRET = "webhook-secret-0123456789abcdef";

    TestDatabase database;
    TestServer server;
    Http http;
    HttpServer receiver;
    final List<Delivery> received = new CopyOnWriteArrayList<>();
    final AtomicInteger failingCalls = new AtomicInteger();

    record Delivery(String signature, byte[] body) {}

    abstract String databaseKind();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        database = TestDatabase.create(databaseKind());
        server = TestServer.start(dir, database, Map.of("tollgate.workers", 3));
        http = server.http;
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/fails", exchange -> {
            failingCalls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Delivery(exchange.getRequestHeaders().getFirst("X-Tollgate-Signature"), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        // the failing receiver is registered first: its retries must not hold up the good one
        webhook("/fails", "json");
        webhook("/hook", "json");
    }

    @AfterAll
    void stop() throws Exception {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aNewHashOrDomainIndicatorRaisesOneAlertPerFileHoldsTheReleaseAndIsDeliveredSigned() throws Exception {
        String release = allowedTrojanRelease("retro");
        String ffmpeg = "OrbitPhone-1.1.0.zip!ffmpeg.dll";

        Http.Response imported = importFeed("hash.json", stix("[file:hashes.'SHA-256' = '" + trojanSha256() + "']"));
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        assertThat(imported.json().path("loaded").asInt()).isEqualTo(1);
        // other tests' feeds may name the same file by another hash: this test counts its own indicators
        JsonNode alert = awaitAlert(release, "intel.hash", trojanSha256());
        assertThat(alert.path("path").asString()).isEqualTo(ffmpeg);
        assertThat(alert.path("severity").asString()).isEqualTo("critical");
        assertThat(alert.path("status").asString()).isEqualTo("open");

        JsonNode held = http.get(ADMIN, "/api/v1/releases/" + release).json();
        assertThat(held.path("verdict").asString()).isEqualTo("hold");
        assertThat(held.path("approval").asString()).isEqualTo("pending");
        assertThat(ContractTests.codes(held)).contains("intel.hash");

        // the same feed again: nothing new is loaded, no alert is raised twice
        Http.Response again = importFeed("hash.json", stix("[file:hashes.'SHA-256' = '" + trojanSha256() + "']"));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().path("loaded").asInt()).isZero();
        assertThat(again.json().path("alreadyKnown").asInt()).isEqualTo(1);

        // a parent domain of what the file names (cdn.orbit-update.example.com)
        assertThat(importFeed("domain.json", stix("[domain-name:value = 'orbit-update.example.com']"))
                        .status())
                .isEqualTo(201);
        JsonNode domain = awaitAlert(release, "intel.domain", "orbit-update.example.com");
        assertThat(domain.path("path").asString()).isEqualTo(ffmpeg);
        assertThat(domain.path("message").asString()).contains("cdn.orbit-update.example.com");

        Thread.sleep(1500); // give a duplicate, if any, time to appear
        assertThat(alertsOf(release, "intel.hash", trojanSha256())).hasSize(1);
        assertThat(alertsOf(release, "intel.domain", "orbit-update.example.com"))
                .hasSize(1);
        JsonNode findings = http.get(ADMIN, "/api/v1/releases/" + release).json();
        assertThat(findings.path("findings").toString())
                .contains(trojanSha256())
                .contains("orbit-update.example.com");

        // the good receiver got both alerts, signed; the failing one was retried and held nothing up
        String alertId = alert.path("id").asString();
        Delivery delivery = await(() -> received.stream()
                .filter(d -> new String(d.body(), StandardCharsets.UTF_8).contains(alertId))
                .findFirst());
        assertThat(delivery.signature()).isEqualTo("sha256=" + WebhookDelivery.hmacSha256Hex(SECRET, delivery.body()));
        JsonNode posted = Http.JSON.readTree(delivery.body());
        assertThat(posted.path("code").asString()).isEqualTo("intel.hash");
        assertThat(posted.path("releaseId").asString()).isEqualTo(release);
        await(() -> failingCalls.get() >= 2 ? Optional.of(true) : Optional.empty());
    }

    @Test
    void aReleaseVettedAfterTheIntelArrivedIsMatchedToo() {
        importFeed(
                "url.csv",
                "type,value,description\nurl,https://cdn.orbit-update.example.com/v1/check?channel=stable,c2\n");
        String release = allowedTrojanRelease("late");
        JsonNode alert =
                awaitAlert(release, "intel.url", "https://cdn.orbit-update.example.com/v1/check?channel=stable");
        assertThat(alert.path("path").asString()).isEqualTo("OrbitPhone-1.1.0.zip!ffmpeg.dll");
        JsonNode held = http.get(ADMIN, "/api/v1/releases/" + release).json();
        assertThat(held.path("approval").asString()).isEqualTo("pending");
        assertThat(held.path("verdict").asString()).isEqualTo("hold");
    }

    @Test
    void badFeedsAreAProblemAndChangeNothing() {
        int before = feedCount();
        ContractTests.assertProblem(
                importFeed("cut.json", "{\"type\": \"bundle\", \"objects\": [{\"type\": \"indicator\", \"pat"),
                400,
                "malformed JSON");
        ContractTests.assertProblem(importFeed("other.json", "{\"hello\": [1, 2, 3]}"), 400, "neither a STIX");
        ContractTests.assertProblem(
                http.postMultipart(
                        ADMIN,
                        "/api/v1/intel",
                        "b",
                        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n\u0000\u0001\r\n--b--\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1)),
                400,
                "binary data");
        byte[] huge = new byte[(int) IntelFeedReader.MAX_FEED_BYTES + 1024];
        java.util.Arrays.fill(huge, (byte) 'a');
        Http.Multipart body = Http.Multipart.of(Optional.empty(), Optional.of(new Http.NamedBytes("huge.csv", huge)));
        ContractTests.assertProblem(
                http.postMultipart(ADMIN, "/api/v1/intel", body.boundary(), body.bytes()), 413, "MiB");
        ContractTests.assertProblem(
                http.postJson(
                        ADMIN,
                        "/api/v1/webhooks",
                        "{\"url\": \"ftp://example.com/x\", \"secret\": \"" + SECRET + "\", \"format\": \"json\"}"),
                400,
                "http or https");
        ContractTests.assertProblem(http.get(ADMIN, "/api/v1/alerts?severity=dire"), 400, "severity");
        assertThat(feedCount()).isEqualTo(before);
        String auditor = token("auditor");
        ContractTests.assertProblem(
                importFeed(auditor, "a.csv", "sha256," + trojanSha256() + "\n"), 403, "intel:import");
    }

    @Test
    void aWebhookSecretIsNeverShownAndAlertsAreAcknowledgedOnce() {
        Http.Response created = http.postJson(
                ADMIN,
                "/api/v1/webhooks",
                "{\"url\": \"http://127.0.0.1:9/none\", \"secret\": \"another-secret-0123456789\", \"format\": \"slack\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("another-secret");
        String release = allowedTrojanRelease("ack");
        importFeed("md5.csv", "md5," + md5(trojanBytes()) + "\n");
        JsonNode alert = awaitAlert(release, "intel.hash", md5(trojanBytes()));
        String path = "/api/v1/alerts/" + alert.path("id").asString() + "/acknowledgements";
        assertThat(http.postJson(ADMIN, path, "{\"note\": \"known, release pulled\"}")
                        .status())
                .isEqualTo(201);
        ContractTests.assertProblem(http.postJson(ADMIN, path, "{\"note\": \"again\"}"), 409, "already acknowledged");
        JsonNode acknowledged = http.get(ADMIN, "/api/v1/alerts?status=acknowledged&code=intel.hash")
                .json();
        assertThat(acknowledged.path("items").toString())
                .contains(alert.path("id").asString());
    }

    // helpers

    String allowedTrojanRelease(String name) {
        String product = productWithRoot(name);
        Http.NamedBytes zip = Releases3cx.zip(
                "OrbitPhone-1.1.0.zip",
                Map.of("ffmpeg.dll", "pe/orbit-trojanized-signed.dll", "d3dcompiler_47.dll", "pe/orbit-signed.dll"));
        String release = ContractTests.accepted(http.upload(ADMIN, product, Optional.of("1.1.0"), Optional.of(zip)));
        JsonNode vetted = ContractTests.awaitVetted(http, release);
        assertThat(vetted.path("verdict").asString()).as(vetted.toString()).isIn("allow", "hold");
        return release;
    }

    Http.Response importFeed(String name, String content) {
        return importFeed(ADMIN, name, content);
    }

    Http.Response importFeed(String token, String name, String content) {
        Http.Multipart body = Http.Multipart.of(
                Optional.empty(), Optional.of(new Http.NamedBytes(name, content.getBytes(StandardCharsets.UTF_8))));
        return http.postMultipart(token, "/api/v1/intel", body.boundary(), body.bytes());
    }

    static String stix(String pattern) {
        String id = java.util.UUID.randomUUID().toString();
        return """
                {"type": "bundle", "id": "bundle--%s", "objects": [
                  {"type": "indicator", "spec_version": "2.1", "id": "indicator--%s",
                   "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
                   "name": "Orbit trojan", "pattern": "%s", "pattern_type": "stix",
                   "valid_from": "2026-01-01T00:00:00Z"}]}""".formatted(id, id, pattern.replace("\"", "\\\""));
    }

    JsonNode awaitAlert(String releaseId, String code, String indicator) {
        return await(() -> alertsOf(releaseId, code, indicator).stream().findFirst());
    }

    List<JsonNode> alertsOf(String releaseId, String code, String indicator) {
        JsonNode page = http.get(ADMIN, "/api/v1/alerts?limit=200&code=" + code).json();
        List<JsonNode> out = new ArrayList<>();
        page.path("items").forEach(a -> {
            if (a.path("releaseId").asString().equals(releaseId)
                    && a.path("indicator").asString().equals(indicator)) {
                out.add(a);
            }
        });
        return out;
    }

    static <T> T await(java.util.function.Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    int feedCount() {
        return http.get(ADMIN, "/api/v1/intel/feeds?limit=200")
                .json()
                .path("items")
                .size();
    }

    void webhook(String path, String format) {
        Http.Response created = http.postJson(
                ADMIN,
                "/api/v1/webhooks",
                "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + path + "\", \"secret\": \"" + SECRET
                        + "\", \"format\": \"" + format + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SECRET);
    }

    String token(String role) {
        var created =
                http.postJson(ADMIN, "/api/v1/tokens", "{\"name\": \"t-" + role + "\", \"role\": \"" + role + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.field("token");
    }

    String productWithRoot(String name) {
        var created = http.postJson(
                ADMIN,
                "/api/v1/products",
                "{\"vendor\": \"Orbit Telecom\", \"name\": \"" + name + "-" + Ids.next() + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.field("id");
        var added = http.post(
                ADMIN, "/api/v1/products/" + id + "/trust-anchors", "application/x-pem-file", Releases3cx.rootPem());
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        return id;
    }

    static byte[] trojanBytes() {
        try {
            return Files.readAllBytes(Releases3cx.FIXTURES.resolve("pe/orbit-trojanized-signed.dll"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String trojanSha256() {
        return digest("SHA-256", trojanBytes());
    }

    static String md5(byte[] bytes) {
        return digest("MD5", bytes);
    }

    private static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
