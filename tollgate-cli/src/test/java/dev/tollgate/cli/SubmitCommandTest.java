package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate submit} against a stand-in for the server's two routes (the server's own tests cover the rest). */
class SubmitCommandTest {

    private static final String PRODUCT = "01a2368f-cd62-714f-914d-4678c5cf4eea";
    private static final String TOKEN = "tg_test_token_for_submit_0000";

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicReference<String> uploaded = new AtomicReference<>("");
    private final AtomicInteger polls = new AtomicInteger();
    private volatile int uploadStatus = 202;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/products/" + PRODUCT + "/releases", exchange -> {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"status\": 401, \"detail\": \"unknown token\"}");
                return;
            }
            uploaded.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1));
            answer(
                    exchange,
                    uploadStatus,
                    uploadStatus == 202
                            ? "{\"id\": \"r1\", \"status\": \"queued\"}"
                            : "{\"status\": 413, \"detail\": \"The release is larger than this product's limit of 10 bytes.\"}");
        });
        server.createContext(
                "/api/v1/releases/r1",
                exchange -> answer(
                        exchange,
                        200,
                        polls.incrementAndGet() < 2 ? "{\"id\": \"r1\", \"status\": \"analysing\"}" : """
                  {"id": "r1", "status": "done", "verdict": "block", "approval": "pending", "previousId": "r0",
                   "findings": [{"code": "signature.appended-data", "severity": "critical",
                                 "path": "OrbitPhone.zip!d3dcompiler_47.dll", "message": "data hidden"}],
                   "report": {"verdict": "block"}}"""));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void uploadsWaitsAndExitsWithTheVerdictLikeScan() throws IOException {
        Result result = submit("--format", "text");
        assertThat(result.exit()).isEqualTo(Main.EXIT_BLOCK);
        assertThat(result.out()).contains("verdict: block").contains("critical  signature.appended-data");
        assertThat(uploaded.get())
                .contains("name=\"version\"\r\n\r\n1.1.0")
                .contains("filename=\"OrbitPhone.zip\"")
                .contains("release bytes");

        Result json = submit("--format", "json");
        assertThat(json.exit()).isEqualTo(Main.EXIT_BLOCK);
        assertThat(json.out()).contains("\"verdict\" : \"block\"");
    }

    @Test
    void aRefusedUploadIsAnErrorThatQuotesTheServer() throws IOException {
        uploadStatus = 413;
        Result result = submit();
        assertThat(result.exit()).isEqualTo(Main.EXIT_INTERNAL_ERROR);
        assertThat(result.err()).contains("HTTP 413").contains("limit of 10 bytes");
    }

    @Test
    void aMissingTokenFileOrABadProductIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("OrbitPhone.zip"), "release bytes");
        Result noToken = run(
                "submit",
                "--server",
                url(),
                "--token-file",
                dir.resolve("none").toString(),
                "--product",
                PRODUCT,
                "--version",
                "1",
                file.toString());
        assertThat(noToken.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noToken.err()).contains("no such token file");
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Result badProduct = run(
                "submit",
                "--server",
                url(),
                "--token-file",
                tokenFile.toString(),
                "--product",
                "x';--",
                "--version",
                "1",
                file.toString());
        assertThat(badProduct.exit()).isEqualTo(Main.EXIT_USAGE);
    }

    private Result submit(String... extra) throws IOException {
        Path file = Files.writeString(dir.resolve("OrbitPhone.zip"), "release bytes");
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        polls.set(0);
        String[] base = {
            "submit",
            "--server",
            url(),
            "--token-file",
            tokenFile.toString(),
            "--product",
            PRODUCT,
            "--version",
            "1.1.0"
        };
        String[] args = new String[base.length + extra.length + 1];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        args[args.length - 1] = file.toString();
        return run(args);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
