package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate submit}: uploads a release to a Tollgate server, waits for its verdict and exits like {@code scan}
 * (0 allow, 3 hold, 4 block), so that a deployment pipeline gates on the server's decision. The file is streamed, not
 * read into memory. A release whose analysis failed is held (3): it was never vetted.
 */
@Command(
        name = "submit",
        sortOptions = false,
        description = {
            "Uploads a release to a Tollgate server, waits until it is vetted and prints the verdict.",
            "The upload is POST /api/v1/products/ID/releases. With --format json the server's report goes to stdout;"
                    + " progress and errors go to stderr."
        },
        footer = {"", "Exit codes: 0 allow, 3 hold (or the analysis failed), 4 block, 2 usage error, 1 error."})
final class SubmitCommand implements Callable<Integer> {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--server",
            required = true,
            paramLabel = "URL",
            description = "The server, e.g. https://tollgate.example:8443")
    private URI server;

    @Option(
            names = "--token-file",
            required = true,
            paramLabel = "FILE",
            description = "A file holding the API token (role submitter); never pass a token on the command line.")
    private Path tokenFile;

    @Option(names = "--product", required = true, paramLabel = "ID", description = "The product's id.")
    private String product;

    @Option(names = "--version", required = true, paramLabel = "V", description = "The release's version.")
    private String version;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "text (the verdict and findings, default) or json (the server's report).")
    private String format = "text";

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "How long to wait for the verdict, e.g. 10m (default 30m).")
    private String timeout = "30m";

    @Parameters(paramLabel = "FILE", description = "The release file to upload (zip, msi, ...).")
    private Path file;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit. (--version is the release's version here.)")
    private boolean help;

    private final Terminal terminal;

    SubmitCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            return usage("--format must be text or json, not '" + format + "'");
        }
        if (!ID.matcher(product).matches()) {
            return usage("--product must be a product id (a UUID), not '" + product + "'");
        }
        if (server.getScheme() == null
                || !(server.getScheme().equals("http") || server.getScheme().equals("https"))
                || server.getHost() == null) {
            return usage("--server must be an http:// or https:// URL, not '" + server + "'");
        }
        Duration wait;
        try {
            wait = Duration.parse("PT" + timeout.toUpperCase(Locale.ROOT));
        } catch (java.time.format.DateTimeParseException e) {
            return usage("--timeout must be a duration such as 90s, 10m or 1h, not '" + timeout + "'");
        }
        if (!Files.isRegularFile(file)) {
            return usage(file + ": no such file");
        }
        String token;
        try {
            token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return usage(tokenFile + ": no such token file");
        }
        if (token.isEmpty() || token.contains("\n")) {
            return usage(tokenFile + ": must hold one API token on one line");
        }

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        String base = server.toString().replaceAll("/+$", "");
        HttpResponse<String> accepted;
        try {
            accepted = http.send(upload(base, token), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            terminal.err().println("tollgate: cannot reach " + base + ": " + Terminal.oneLine(String.valueOf(e)));
            return Main.EXIT_INTERNAL_ERROR;
        }
        if (accepted.statusCode() != 202) {
            return refused("upload", accepted);
        }
        String id = JSON.readTree(accepted.body()).path("id").asText();
        terminal.err()
                .println("tollgate: submitted " + file.getFileName() + " as version " + version + " (release " + id
                        + "); waiting for its verdict");
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/releases/" + id))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(60))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return refused("status request", response);
            }
            JsonNode release = JSON.readTree(response.body());
            String status = release.path("status").asText();
            if (status.equals("done") || status.equals("failed")) {
                return report(release);
            }
            if (System.nanoTime() > deadline) {
                terminal.err()
                        .println("tollgate: release " + id + " was not vetted within " + timeout + " (status " + status
                                + "); it stays queued on the server");
                return Main.EXIT_INTERNAL_ERROR;
            }
            Thread.sleep(1000);
        }
    }

    private HttpRequest upload(String base, String token) throws IOException {
        String boundary = "tollgate-" + UUID.randomUUID();
        String name = file.getFileName()
                .toString()
                .replace("\"", "_")
                .replace("\r", "_")
                .replace("\n", "_");
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n" + version
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/products/" + product + "/releases"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofString(tail)))
                .build();
    }

    private int report(JsonNode release) throws IOException {
        String verdict = release.path("verdict").asText("hold");
        if (format.equals("json")) {
            JsonNode report = release.path("report");
            terminal.out()
                    .println(
                            report.isMissingNode() || report.isNull()
                                    ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(release)
                                    : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            if (release.path("status").asText().equals("failed")) {
                terminal.out()
                        .println("verdict: hold (the analysis failed: "
                                + release.path("failure").asText() + ")");
            } else {
                terminal.out()
                        .println("verdict: " + verdict + " (approval "
                                + release.path("approval").asText()
                                + ", " + release.path("findings").size() + " findings"
                                + (release.path("previousId").isTextual()
                                        ? ", against release "
                                                + release.path("previousId").asText()
                                        : "")
                                + ")");
            }
            for (JsonNode f : release.path("findings")) {
                terminal.out()
                        .println("  " + f.path("severity").asText() + "  "
                                + f.path("code").asText() + "  "
                                + f.path("path").asText() + ": "
                                + f.path("message").asText());
            }
        }
        return switch (release.path("status").asText().equals("failed") ? "hold" : verdict) {
            case "allow" -> Main.EXIT_ALLOW;
            case "block" -> Main.EXIT_BLOCK;
            default -> Main.EXIT_HOLD;
        };
    }

    private int refused(String what, HttpResponse<String> response) {
        String detail;
        try {
            detail = JSON.readTree(response.body()).path("detail").asText("");
        } catch (IOException e) {
            detail = "";
        }
        terminal.err()
                .println("tollgate: the server refused the " + what + " (HTTP " + response.statusCode() + ")"
                        + (detail.isEmpty() ? "" : ": " + Terminal.oneLine(detail)));
        return Main.EXIT_INTERNAL_ERROR;
    }

    private int usage(String message) {
        terminal.err().println("tollgate submit: " + message + " (see 'tollgate submit --help')");
        return Main.EXIT_USAGE;
    }
}
