package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person's browser over java.net.http: a cookie jar, no automatic redirects, the CSRF token scraped from each form's
 * hidden input, and TOTP codes computed from the secret the enrolment page shows, at the server's (test) clock.
 */
final class Browser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");
    private static final Pattern SECRET = Pattern.compile("data-totp-secret=\"([A-Z2-7]+)\"");

    private final String base;
    private final TestClock clock;
    private final HttpClient client;
    String csrf = "";
    String totpSecret;

    Browser(TestServer server) {
        this.base = server.base;
        this.clock = server.clock;
        this.client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A response: status, Location, content type, body. */
    record Page(int status, String location, String contentType, String body) {

        Http.Response asHttp() {
            return new Http.Response(status, contentType, body);
        }
    }

    Page get(String path) {
        Page page = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        Matcher m = CSRF.matcher(page.body());
        if (m.find()) {
            csrf = m.group(1);
        }
        return page;
    }

    /** A form post with the last scraped CSRF token (unless {@code withCsrf} is false). */
    Page postForm(String path, Map<String, String> fields, boolean withCsrf) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        if (withCsrf) {
            all.put("_csrf", csrf);
        }
        String body = all.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Page postForm(String path, Map<String, String> fields) {
        return postForm(path, fields, true);
    }

    /** A JSON request with the session cookie and, when given, the {@code X-CSRF-TOKEN} header. */
    Http.Response json(String method, String path, String json, Optional<String> csrfHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        csrfHeader.ifPresent(t -> request.header("X-CSRF-TOKEN", t));
        return send(request).asHttp();
    }

    /** A JSON POST with the CSRF token of {@code GET /api/v1/me}. */
    Http.Response postJson(String path, String json) {
        return json("POST", path, json, Optional.of(me().field("csrfToken")));
    }

    Http.Response postMultipart(String path, Http.Multipart body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "multipart/form-data; boundary=" + body.boundary())
                        .header("X-CSRF-TOKEN", me().field("csrfToken"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())))
                .asHttp();
    }

    Http.Response me() {
        return get("/api/v1/me").asHttp();
    }

    /** The current TOTP code, at the server's clock. */
    String code() {
        return codeAt(0);
    }

    /** The code {@code steps} steps from now (negative: past). */
    String codeAt(int steps) {
        return Totp.code(Totp.fromBase32(totpSecret), Totp.step(clock.instant()) + steps);
    }

    /** Username and password; returns where the server sends the browser next. */
    Page password(String username, String password) {
        get("/login");
        return postForm("/login", Map.of("username", username, "password", password));
    }

    /** A complete first or later login: password, then enrolment (scraping the secret) or the code. */
    Browser logIn(String username, String password) {
        Page afterPassword = password(username, password);
        assertThat(afterPassword.status()).as(afterPassword.body()).isEqualTo(303);
        if (afterPassword.location().endsWith("/login/enrol")) {
            Page enrol = get("/login/enrol");
            Matcher m = SECRET.matcher(enrol.body());
            assertThat(m.find()).as(enrol.body()).isTrue();
            totpSecret = m.group(1);
            Page done = postForm("/login/enrol", Map.of("code", code()));
            assertThat(done.status()).as(done.body()).isEqualTo(200);
            assertThat(done.body()).contains("data-recovery-code");
        } else {
            assertThat(afterPassword.location()).endsWith("/login/code");
            get("/login/code");
            Page done = postForm("/login/code", Map.of("code", code()));
            assertThat(done.status()).as(done.body()).isEqualTo(303);
        }
        return this;
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Page(
                    response.statusCode(),
                    response.headers().firstValue("Location").orElse(""),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new IllegalStateException("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
