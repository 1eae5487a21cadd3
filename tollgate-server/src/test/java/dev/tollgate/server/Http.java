package dev.tollgate.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client for the contract tests (java.net.http), with the few request shapes the API takes. */
final class Http {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Http(String base) {
        this.base = base;
    }

    /** A response: status, content type and body. */
    record Response(int status, String contentType, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String field(String name) {
            return json().path(name).asString();
        }
    }

    Response get(String token, String path) {
        return send(request(token, path).GET().build());
    }

    Response postJson(String token, String path, String json) {
        return send(request(token, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    Response post(String token, String path, String contentType, String body) {
        return send(request(token, path)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    Response put(String token, String path, String contentType, String body) {
        return send(request(token, path)
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** A multipart/form-data upload: {@code version} (when given) and {@code file} (when given). */
    Response upload(String token, String productId, Optional<String> version, Optional<NamedBytes> file) {
        Multipart body = Multipart.of(version, file);
        return postMultipart(token, "/api/v1/products/" + productId + "/releases", body.boundary(), body.bytes());
    }

    Response postMultipart(String token, String path, String boundary, byte[] body) {
        return send(request(token, path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    /** A file to upload. */
    record NamedBytes(String name, byte[] bytes) {}

    /** A multipart body. */
    record Multipart(String boundary, byte[] bytes) {

        static Multipart of(Optional<String> version, Optional<NamedBytes> file) {
            String boundary = "tollgate-" + UUID.randomUUID();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            version.ifPresent(v -> write(
                    out,
                    "--" + boundary + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n" + v + "\r\n"));
            file.ifPresent(f -> {
                write(
                        out,
                        "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + f.name()
                                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
                out.writeBytes(f.bytes());
                write(out, "\r\n");
            });
            write(out, "--" + boundary + "--\r\n");
            return new Multipart(boundary, out.toByteArray());
        }

        private static void write(ByteArrayOutputStream out, String text) {
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private HttpRequest.Builder request(String token, String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
