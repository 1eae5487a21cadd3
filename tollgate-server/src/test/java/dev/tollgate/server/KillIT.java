package dev.tollgate.server;

import static dev.tollgate.server.ContractTests.ADMIN;
import static dev.tollgate.server.ContractTests.accepted;
import static dev.tollgate.server.ContractTests.awaitVetted;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker node killed with SIGKILL in the middle of an analysis (a real process: the server's jar, as {@code ./tollgate
 * serve} runs it) loses nothing: its lease runs out and another node vets the release.
 */
class KillIT {

    private static final Path JAR = Path.of("target", "tollgate-server.jar");

    @Test
    void aWorkerKilledMidAnalysisHasItsJobFinishedByAnotherNode(@TempDir Path data) throws Exception {
        assertThat(JAR).as("the server's jar (built in the package phase)").isRegularFile();
        try (TestDatabase database = TestDatabase.create("postgresql");
                TestServer api = TestServer.start(data, database, Map.of("tollgate.role", "api"))) {
            String product = api.http
                    .postJson(ADMIN, "/api/v1/products", "{\"vendor\": \"Orbit Telecom\", \"name\": \"Large\"}")
                    .field("id");
            String release =
                    accepted(api.http.upload(ADMIN, product, Optional.of("9.0"), Optional.of(largeRelease(2000))));

            Process worker = new ProcessBuilder(List.of(
                            ProcessHandle.current().info().command().orElse("java"),
                            "--enable-native-access=ALL-UNNAMED",
                            "-jar",
                            JAR.toString(),
                            "--server.port=0",
                            "--tollgate.data=" + data,
                            "--tollgate.database-url=" + database.url(),
                            "--tollgate.role=worker",
                            "--tollgate.workers=1",
                            "--tollgate.engine-threads=1",
                            "--tollgate.lease=3s",
                            "--tollgate.poll=100ms"))
                    .redirectErrorStream(true)
                    .redirectOutput(data.resolve("killed-worker.log").toFile())
                    .start();
            try {
                awaitStatus(api.http, release, "analysing", worker);
            } finally {
                worker.destroyForcibly(); // SIGKILL: no shutdown hook, no lease given back
                worker.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(api.http.get(ADMIN, "/api/v1/releases/" + release).field("status"))
                    .as("killed in the middle of the analysis")
                    .isEqualTo("analysing");

            try (TestServer rescuer = TestServer.start(data, database, Map.of("tollgate.role", "worker"))) {
                assertThat(rescuer.http.get(null, "/actuator/health").status()).isEqualTo(200);
                // signed by the test root, which this product does not trust: signature.untrusted holds it
                assertThat(awaitVetted(api.http, release).path("verdict").asString())
                        .isEqualTo("hold");
                int attempts = JdbcClient.create(api.bean(DataSource.class))
                        .sql("SELECT attempts FROM jobs WHERE payload = ? AND kind = 'vet-release'")
                        .param(release)
                        .query(Integer.class)
                        .single();
                assertThat(attempts).isEqualTo(2);
            }
        }
    }

    @Test
    void aNodeStoppedMidAnalysisGivesItsLeaseBackAndTheNextNodeRunsTheJobAtOnce(@TempDir Path data) throws Exception {
        try (TestDatabase database = TestDatabase.create("postgresql");
                TestServer api = TestServer.start(data, database, Map.of("tollgate.role", "api"))) {
            String product = api.http
                    .postJson(ADMIN, "/api/v1/products", "{\"vendor\": \"Orbit Telecom\", \"name\": \"Stopped\"}")
                    .field("id");
            String release =
                    accepted(api.http.upload(ADMIN, product, Optional.of("9.1"), Optional.of(largeRelease(2000))));
            TestServer stopping = TestServer.start(
                    data,
                    database,
                    Map.of("tollgate.role", "worker", "tollgate.workers", 1, "tollgate.shutdown-grace", "100ms"));
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!api.http
                        .get(ADMIN, "/api/v1/releases/" + release)
                        .field("status")
                        .equals("analysing")) {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.sleep(20);
                }
            } finally {
                stopping.close();
            }
            JdbcClient jdbc = JdbcClient.create(api.bean(DataSource.class));
            assertThat(jdbc.sql("SELECT state FROM jobs WHERE payload = ? AND kind = 'vet-release'")
                            .param(release)
                            .query(String.class)
                            .single())
                    .as("the lease was given back, not left to run out")
                    .isEqualTo("queued");
            try (TestServer next = TestServer.start(data, database, Map.of("tollgate.role", "worker"))) {
                assertThat(next.http.get(null, "/actuator/health").status()).isEqualTo(200);
                awaitVetted(api.http, release);
                assertThat(jdbc.sql("SELECT attempts FROM jobs WHERE payload = ? AND kind = 'vet-release'")
                                .param(release)
                                .query(Integer.class)
                                .single())
                        .as("a given-back attempt does not count")
                        .isEqualTo(1);
            }
        }
    }

    private static void awaitStatus(Http http, String release, String wanted, Process worker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!http.get(ADMIN, "/api/v1/releases/" + release).field("status").equals(wanted)) {
            assertThat(worker.isAlive()).as("the worker process is running").isTrue();
            assertThat(System.nanoTime()).as("status " + wanted + " in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A zip of {@code count} signed DLLs: long enough to vet that a kill lands in the middle. */
    private static Http.NamedBytes largeRelease(int count) throws IOException {
        byte[] dll = Files.readAllBytes(Releases3cx.FIXTURES.resolve("pe/orbit-signed.dll"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < count; i++) {
                zip.putNextEntry(new ZipEntry("lib/module" + i + ".dll"));
                zip.write(dll);
                zip.closeEntry();
            }
        }
        return new Http.NamedBytes("Large-9.0.zip", bytes.toByteArray());
    }
}
