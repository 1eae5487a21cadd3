package dev.tollgate.server;

import static dev.tollgate.server.ContractTests.ADMIN;
import static dev.tollgate.server.ContractTests.accepted;
import static dev.tollgate.server.ContractTests.awaitVetted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.store.AuditLog;
import dev.tollgate.store.Job;
import dev.tollgate.store.JobQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** What survives a server: a restart, a worker that dies mid-job, and several nodes sharing one queue. */
class NodesIT {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRestartedServerFindsEverythingAndKeepsTheBaseline(String kind, @TempDir Path data) throws Exception {
        try (TestDatabase database = TestDatabase.create(kind)) {
            String product;
            String first;
            String submitter;
            String report;
            try (TestServer server = TestServer.start(data, database)) {
                product = product(server.http, true);
                submitter = server.http
                        .postJson(ADMIN, "/api/v1/tokens", "{\"name\": \"ci\", \"role\": \"submitter\"}")
                        .field("token");
                first = accepted(
                        server.http.upload(submitter, product, Optional.of("1.0.0"), Optional.of(Releases3cx.clean())));
                report = awaitVetted(server.http, first).path("report").toString();
            }
            try (TestServer server = TestServer.start(data, database)) {
                JsonNode again =
                        server.http.get(submitter, "/api/v1/releases/" + first).json();
                assertThat(again.path("verdict").asString()).isEqualTo("allow");
                assertThat(again.path("report").toString()).isEqualTo(report);
                assertThat(server.http
                                .get(submitter, "/api/v1/products/" + product)
                                .status())
                        .isEqualTo(200);
                String second = accepted(server.http.upload(
                        submitter, product, Optional.of("1.1.0"), Optional.of(Releases3cx.trojanized())));
                JsonNode update = awaitVetted(server.http, second);
                assertThat(update.path("previousId").asString()).isEqualTo(first);
                assertThat(update.path("verdict").asString()).isEqualTo("block");
                assertThat(server.bean(AuditLog.class).firstBrokenLink()).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aJobWhoseWorkerDiedIsTakenByAnotherWorkerOnceItsLeaseRunsOut(String kind, @TempDir Path data)
            throws Exception {
        try (TestDatabase database = TestDatabase.create(kind);
                TestServer api = TestServer.start(data, database, Map.of("tollgate.role", "api"))) {
            String product = product(api.http, true);
            String release =
                    accepted(api.http.upload(ADMIN, product, Optional.of("1.0.0"), Optional.of(Releases3cx.clean())));
            // A worker claims the job and dies: no heartbeat, no completion.
            JobQueue queue = api.bean(JobQueue.class);
            Job dead = queue.claim("dead-node/0/1", Duration.ofSeconds(2)).orElseThrow();
            assertThat(dead.payload()).isEqualTo(release);

            try (TestServer worker = TestServer.start(data, database, Map.of("tollgate.role", "worker"))) {
                JsonNode vetted = awaitVetted(api.http, release);
                assertThat(vetted.path("verdict").asString()).isEqualTo("allow");
                assertThat(queue.complete(dead))
                        .as("the dead worker is fenced off")
                        .isFalse();
                assertThat(queue.state(dead.id())).contains("done");
                int attempts = JdbcClient.create(api.bean(DataSource.class))
                        .sql("SELECT attempts FROM jobs WHERE id = ?")
                        .param(dead.id())
                        .query(Integer.class)
                        .single();
                assertThat(attempts).isEqualTo(2);
                assertProblemFromWorkerNode(worker);
            }
        }
    }

    @Test
    void twoNodesOnOnePostgresqlAnalyseEveryReleaseExactlyOnce(@TempDir Path data) throws Exception {
        try (TestDatabase database = TestDatabase.create("postgresql");
                TestServer a = TestServer.start(data, database, Map.of("tollgate.workers", 2));
                TestServer b = TestServer.start(data, database, Map.of("tollgate.workers", 2))) {
            List<String> releases = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                String product = product(a.http, true);
                TestServer via = p % 2 == 0 ? a : b;
                releases.add(accepted(
                        via.http.upload(ADMIN, product, Optional.of("1.0.0"), Optional.of(Releases3cx.clean()))));
                releases.add(accepted(
                        via.http.upload(ADMIN, product, Optional.of("1.1.0"), Optional.of(Releases3cx.trojanized()))));
            }
            for (String release : releases) {
                awaitVetted(a.http, release);
            }
            Map<String, Integer> vettings = new HashMap<>();
            Map<String, Integer> byNode = new HashMap<>();
            JsonNode audit = a.http.get(ADMIN, "/api/v1/audit?limit=200").json();
            audit.path("items").forEach(e -> {
                if (e.path("action").asString().equals("release.vetted")) {
                    vettings.merge(e.path("subject").asString(), 1, Integer::sum);
                    byNode.merge(e.path("details").path("node").asString(), 1, Integer::sum);
                }
            });
            assertThat(vettings).hasSize(releases.size());
            assertThat(vettings.values()).containsOnly(1);
            List<Integer> attempts = JdbcClient.create(a.bean(DataSource.class))
                    .sql("SELECT attempts FROM jobs WHERE kind = 'vet-release'")
                    .query(Integer.class)
                    .list();
            assertThat(attempts).hasSize(releases.size()).containsOnly(1);
            System.out.println("two nodes: analyses per node " + byNode);
        }
    }

    private static void assertProblemFromWorkerNode(TestServer worker) {
        ContractTests.assertProblem(worker.http.get(ADMIN, "/api/v1/products"), 404, "workers only");
        assertThat(worker.http.get(null, "/actuator/health").status()).isEqualTo(200);
    }

    private static String product(Http http, boolean withRoot) {
        var created = http.postJson(
                ADMIN,
                "/api/v1/products",
                "{\"vendor\": \"Orbit Telecom\", \"name\": \"OrbitPhone " + System.nanoTime() + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.field("id");
        if (withRoot) {
            assertThat(http.post(
                                    ADMIN,
                                    "/api/v1/products/" + id + "/trust-anchors",
                                    "application/x-pem-file",
                                    Releases3cx.rootPem())
                            .status())
                    .isEqualTo(201);
        }
        return id;
    }
}
