package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.store.Ids;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * People over real HTTP (DESIGN.md, "People"): users, the browser login with password and TOTP, CSRF, step-up,
 * lockout, secrets at rest, and every route against every role. Runs in the same server as {@link ContractTests}.
 */
abstract class PeopleContractTests extends ContractTests {

    @Test
    void aPersonLogsInWithPasswordAndTotpSeesThemselvesAndLogsOut() {
        String username = user("erin", "analyst", "auditor");
        Browser browser = new Browser(server);
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(401);
        browser.logIn(username, PASSWORD);
        assertThat(browser.totpSecret).hasSizeGreaterThanOrEqualTo(32);

        JsonNode me = browser.me().json();
        assertThat(me.path("username").asString()).isEqualTo(username);
        assertThat(me.path("roles").toString()).isEqualTo("[\"analyst\",\"auditor\"]");
        assertThat(me.path("csrfToken").asString()).isNotBlank();
        assertThat(browser.get("/").body()).contains(username);

        Browser.Page out = browser.postForm("/logout", Map.of());
        assertThat(out.status()).isEqualTo(303);
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(401);

        server.clock.advance(Duration.ofSeconds(30)); // the next login needs a code of a step not used yet
        browser.logIn(username, PASSWORD);
        assertThat(browser.me().field("username")).isEqualTo(username);

        List<String> actions = auditActions();
        assertThat(actions).contains("user.created", "mfa.enrolled", "login", "logout");
    }

    @Test
    void firstLoginReachesNothingButEnrolment() {
        String username = user("frank", "admin");
        Browser browser = new Browser(server);
        Browser.Page next = browser.password(username, PASSWORD);
        assertThat(next.location()).endsWith("/login/enrol");
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(browser.get("/api/v1/products").status()).isEqualTo(401);
        assertThat(browser.get("/login/code").status()).isEqualTo(200);
        Browser.Page enrol = browser.get("/login/enrol");
        assertThat(enrol.body()).contains("data-totp-secret=", "<svg", "otpauth://totp/Tollgate:");
        assertThat(enrol.body()).contains("name=\"_csrf\"");
    }

    @Test
    void usersNeedAnAdminAStrongPasswordAndAUniqueName() {
        String analyst = token("analyst", "analyst");
        String body = "{\"username\": \"gina\", \"password\": \"" + PASSWORD + "\", \"roles\": [\"analyst\"]}";
        assertProblem(http.postJson(analyst, "/api/v1/users", body), 403, "user:write");
        assertProblem(http.postJson(null, "/api/v1/users", body), 401, "Authentication is required");
        assertProblem(
                http.postJson(
                        ADMIN,
                        "/api/v1/users",
                        "{\"username\": \"gina\", \"password\": \"short\", \"roles\": [\"analyst\"]}"),
                400,
                "at least 12");
        assertProblem(
                http.postJson(
                        ADMIN,
                        "/api/v1/users",
                        "{\"username\": \"gina\", \"password\": \"Password1234!\", \"roles\": [\"analyst\"]}"),
                400,
                "too common");
        assertProblem(
                http.postJson(
                        ADMIN,
                        "/api/v1/users",
                        "{\"username\": \"gina\", \"password\": \"" + PASSWORD + "\", \"roles\": [\"root\"]}"),
                400,
                "'roles'");
        String name = "gina-" + Ids.next().substring(24);
        String ok = body.replace("gina", name);
        assertThat(http.postJson(ADMIN, "/api/v1/users", ok).status()).isEqualTo(201);
        assertProblem(http.postJson(ADMIN, "/api/v1/users", ok), 409, "exists already");
    }

    @Test
    void wrongReplayedAndExpiredCodesAreRefused() {
        String username = user("hank", "analyst");
        Browser first = new Browser(server).logIn(username, PASSWORD);
        String used = first.code();

        Browser second = new Browser(server);
        second.totpSecret = first.totpSecret;
        assertThat(second.password(username, PASSWORD).location()).endsWith("/login/code");
        second.get("/login/code");
        assertThat(second.postForm("/login/code", Map.of("code", used)).status())
                .as("replayed")
                .isEqualTo(401);
        assertThat(second.postForm("/login/code", Map.of("code", second.codeAt(-2)))
                        .status())
                .as("expired")
                .isEqualTo(401);
        String wrong = second.code().equals("000000") ? "111111" : "000000";
        assertThat(second.postForm("/login/code", Map.of("code", wrong)).status())
                .as("wrong")
                .isEqualTo(401);
        assertThat(second.get("/api/v1/me").status()).isEqualTo(401);
        server.clock.advance(Duration.ofSeconds(30));
        Browser.Page ok = second.postForm("/login/code", Map.of("code", second.code()));
        assertThat(ok.status()).as(ok.body()).isEqualTo(303);
        assertThat(second.me().field("username")).isEqualTo(username);
    }

    @Test
    void requestsWithoutTheCsrfTokenAreRefused() {
        Browser browser = new Browser(server);
        browser.get("/login");
        Browser.Page noToken = browser.postForm("/login", Map.of("username", "x", "password", "y"), false);
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.contentType()).startsWith("text/html");
        assertThat(noToken.body()).doesNotContain("Exception");

        Browser admin = person("ivy", "admin");
        String product = "{\"vendor\": \"Orbit Telecom\", \"name\": \"csrf-" + Ids.next() + "\"}";
        assertProblem(admin.json("POST", "/api/v1/products", product, Optional.empty()), 403, "X-CSRF-TOKEN");
        assertProblem(admin.json("POST", "/api/v1/products", product, Optional.of("forged")), 403, "X-CSRF-TOKEN");
        assertThat(admin.postJson("/api/v1/products", product).status()).isEqualTo(201);
    }

    @Test
    void approvalsNeedASecondFactorGivenInTheLastFiveMinutes() {
        String product = heldProduct("step-up");
        String held = accepted(
                http.upload(ADMIN, product, Optional.of("3.0"), Optional.of(Releases3cx.unsigned("orbit-3.0.zip"))));
        assertThat(awaitVetted(held).path("verdict").asString()).isEqualTo("hold");
        Browser approver = person("judy", "approver", "admin");
        String approvals = "/api/v1/releases/" + held + "/approvals";
        String approve = "{\"decision\": \"approve\", \"reason\": \"known helper\"}";

        server.clock.advance(Duration.ofMinutes(6));
        assertProblem(approver.postJson(approvals, approve), 403, "second factor given in the last 5 minutes");
        assertProblem(
                approver.postJson("/api/v1/tokens", "{\"name\": \"x\", \"role\": \"analyst\"}"), 403, "second factor");
        approver.get("/login/step-up");
        Browser.Page stepped = approver.postForm("/login/step-up", Map.of("code", approver.code()));
        assertThat(stepped.status()).as(stepped.body()).isEqualTo(303);
        var decided = approver.postJson(approvals, approve);
        assertThat(decided.status()).as(decided.body()).isEqualTo(201);
        assertThat(decided.field("approval")).isEqualTo("approved");
        assertThat(auditActions()).contains("login.step-up", "release.approve");

        // a release submitted with a token this person made is theirs: they cannot approve it either
        var own = approver.postJson("/api/v1/tokens", "{\"name\": \"judy-ci\", \"role\": \"submitter\"}");
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        String mine = accepted(http.upload(
                own.field("token"), product, Optional.of("3.1"), Optional.of(Releases3cx.unsigned("orbit-3.1.zip"))));
        awaitVetted(mine);
        assertProblem(
                approver.postJson("/api/v1/releases/" + mine + "/approvals", approve),
                403,
                "You submitted this release");
    }

    @Test
    void anAccountLocksAfterFiveFailedLoginsForFifteenMinutes() {
        String username = user("kate", "analyst");
        Browser browser = new Browser(server);
        for (int i = 0; i < 5; i++) {
            assertThat(browser.password(username, "not the password at all").status())
                    .isEqualTo(401);
        }
        Browser.Page locked = browser.password(username, PASSWORD);
        assertThat(locked.status()).isEqualTo(401);
        assertThat(locked.body()).contains("locked for a while");
        JsonNode audit = lastAudit("login.failed");
        assertThat(audit.path("details").toString()).contains("locked");
        assertThat(audit.toString()).doesNotContain(PASSWORD).doesNotContain("not the password");

        server.clock.advance(Duration.ofMinutes(16));
        assertThat(browser.password(username, PASSWORD).location()).endsWith("/login/enrol");
    }

    @Test
    void theDatabaseHoldsNoTotpOrWebhookSecretInPlainText() throws SQLException {
        Browser person = person("liam", "analyst");
        String webhookSecret = "whsec-" + Ids.next();
        String openapi = http.get(ADMIN, "/api/v1/openapi.json").body();
        if (openapi.contains("\"/api/v1/webhooks\"")) {
            var created = http.postJson(
                    ADMIN,
                    "/api/v1/webhooks",
                    "{\"url\": \"https://hooks.example.com/x\", \"secret\": \"" + webhookSecret
                            + "\", \"format\": \"json\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        } else {
            String id = Ids.next();
            String sealed = server.bean(SecretBox.class).seal(webhookSecret, "webhook:" + id);
            try (Connection c = server.bean(DataSource.class).getConnection();
                    var insert = c.prepareStatement(
                            "INSERT INTO webhooks (id, url, secret_ciphertext, format, created_by, created_at)"
                                    + " VALUES (?, 'https://hooks.example.com/x', ?, 'json', 'test', ?)")) {
                insert.setString(1, id);
                insert.setString(2, sealed);
                insert.setObject(3, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
                insert.executeUpdate();
            }
        }
        String dump = dumpTextColumns();
        assertThat(dump).contains(person.me().field("username")); // the dump did read the users table
        assertThat(dump.toUpperCase(Locale.ROOT)).doesNotContain(person.totpSecret);
        assertThat(dump).doesNotContain(webhookSecret).doesNotContain(PASSWORD);
    }

    private static final Set<Role> ALL = EnumSet.allOf(Role.class);
    private static final Set<Role> PUBLIC = Set.of();

    /** Who may call what: every route of the OpenAPI document must be in this table. */
    private static final Map<String, Set<Role>> ROUTES = routes();

    private static Map<String, Set<Role>> routes() {
        Map<String, Set<Role>> t = new LinkedHashMap<>();
        Set<Role> readers = EnumSet.of(Role.ADMIN, Role.APPROVER, Role.ANALYST, Role.AUDITOR);
        t.put("GET /api/v1/alerts", readers);
        t.put("POST /api/v1/alerts/{id}/acknowledgements", EnumSet.of(Role.ADMIN, Role.APPROVER, Role.ANALYST));
        t.put("GET /api/v1/audit", EnumSet.of(Role.ADMIN, Role.AUDITOR));
        t.put("POST /api/v1/products", EnumSet.of(Role.ADMIN));
        t.put("GET /api/v1/products", EnumSet.allOf(Role.class));
        t.put("GET /api/v1/products/{id}", EnumSet.allOf(Role.class));
        t.put("POST /api/v1/products/{id}/trust-anchors", EnumSet.of(Role.ADMIN));
        t.put("GET /api/v1/products/{id}/trust-anchors", EnumSet.allOf(Role.class));
        t.put("PUT /api/v1/products/{id}/policy", EnumSet.of(Role.ADMIN));
        t.put("GET /api/v1/products/{id}/policy", EnumSet.allOf(Role.class));
        t.put("POST /api/v1/products/{id}/releases", EnumSet.of(Role.ADMIN, Role.SUBMITTER));
        t.put("GET /api/v1/products/{id}/releases", EnumSet.allOf(Role.class));
        t.put("GET /api/v1/releases/{id}", EnumSet.allOf(Role.class));
        t.put("POST /api/v1/releases/{id}/approvals", EnumSet.noneOf(Role.class)); // people only: no token may
        t.put("POST /api/v1/tokens", EnumSet.of(Role.ADMIN));
        t.put("POST /api/v1/users", EnumSet.of(Role.ADMIN));
        t.put("GET /api/v1/me", EnumSet.allOf(Role.class));
        t.put("POST /api/v1/intel", EnumSet.of(Role.ADMIN, Role.ANALYST));
        t.put("GET /api/v1/intel/feeds", readers);
        t.put("POST /api/v1/webhooks", EnumSet.of(Role.ADMIN));
        for (String page : List.of(
                "GET /",
                "GET /login",
                "POST /login",
                "GET /login/code",
                "POST /login/code",
                "GET /login/enrol",
                "POST /login/enrol",
                "GET /login/step-up",
                "POST /login/step-up",
                "POST /logout")) {
            t.put(page, PUBLIC);
        }
        return t;
    }

    @Test
    void everyRouteAnswersNoCredentialsAndEachRoleAsTheTableSays() {
        Map<Role, String> tokens = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            tokens.put(role, role == Role.ADMIN ? ADMIN : token("matrix-" + role.label(), role.label()));
        }
        JsonNode paths = http.get(ADMIN, "/api/v1/openapi.json").json().path("paths");
        List<String> unknown = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            if (path.getKey().equals("/error")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops =
                            path.getValue().properties().iterator();
                    ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(Locale.ROOT);
                String route = method + " " + path.getKey();
                Set<Role> allowed = ROUTES.get(route);
                if (allowed == null) {
                    unknown.add(route);
                    continue;
                }
                String contentType = "application/json";
                JsonNode content = op.getValue().path("requestBody").path("content");
                if (content.isObject() && !content.isEmpty()) {
                    contentType = content.propertyNames().iterator().next();
                }
                if (route.equals("POST /api/v1/products/{id}/releases") || route.equals("POST /api/v1/intel")) {
                    contentType = "multipart/form-data"; // read from the request, so the document names no body
                }
                String concrete = path.getKey().replaceAll("\\{[^}]+}", Ids.next());
                if (allowed == PUBLIC) {
                    int status = call(null, method, concrete, contentType).status();
                    if (status >= 500) {
                        wrong.add(route + " without credentials answered " + status);
                    }
                    continue;
                }
                int anonymous = call(null, method, concrete, contentType).status();
                if (anonymous != 401) {
                    wrong.add(route + " without credentials answered " + anonymous);
                }
                for (Map.Entry<Role, String> token : tokens.entrySet()) {
                    Http.Response response = call(token.getValue(), method, concrete, contentType);
                    int status = response.status();
                    boolean permitted = allowed.contains(token.getKey());
                    if (permitted ? status == 401 || status == 403 || status == 415 || status >= 500 : status != 403) {
                        wrong.add(route + " as " + token.getKey().label() + " answered " + status + ": "
                                + response.body());
                    }
                }
                checked++;
            }
        }
        assertThat(unknown).as("routes missing from the table in this test").isEmpty();
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(17);
        assertThat(ALL).hasSize(5);
    }

    private Http.Response call(String token, String method, String path, String contentType) {
        if (method.equals("GET")) {
            return http.get(token, path);
        }
        if (contentType.startsWith("multipart/")) {
            Http.Multipart body = Http.Multipart.of(
                    Optional.of("9.9"), Optional.of(new Http.NamedBytes("x.zip", new byte[] {1, 2, 3})));
            return http.postMultipart(token, path, body.boundary(), body.bytes());
        }
        String body =
                switch (contentType) {
                    case "application/json" -> "{}";
                    case "application/x-www-form-urlencoded" -> "code=1";
                    default -> "not: [valid";
                };
        return method.equals("PUT")
                ? http.put(token, path, contentType, body)
                : http.post(token, path, contentType, body);
    }

    private String dumpTextColumns() throws SQLException {
        StringBuilder dump = new StringBuilder();
        try (Connection c = server.bean(DataSource.class).getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            Map<String, List<String>> columns = new LinkedHashMap<>();
            try (ResultSet rs = meta.getColumns(null, null, "%", "%")) {
                while (rs.next()) {
                    if (!"public".equalsIgnoreCase(rs.getString("TABLE_SCHEM"))) {
                        continue;
                    }
                    int type = rs.getInt("DATA_TYPE");
                    if (type == Types.VARCHAR
                            || type == Types.CHAR
                            || type == Types.CLOB
                            || type == Types.LONGVARCHAR
                            || type == Types.NVARCHAR) {
                        columns.computeIfAbsent(rs.getString("TABLE_NAME"), k -> new ArrayList<>())
                                .add(rs.getString("COLUMN_NAME"));
                    }
                }
            }
            assertThat(columns.keySet().stream().map(n -> n.toLowerCase(Locale.ROOT)))
                    .contains("users", "webhooks", "audit_log");
            try (Statement s = c.createStatement()) {
                for (Map.Entry<String, List<String>> table : columns.entrySet()) {
                    for (String column : table.getValue()) {
                        try (ResultSet rs =
                                s.executeQuery("SELECT \"" + column + "\" FROM \"" + table.getKey() + "\"")) {
                            while (rs.next()) {
                                dump.append(rs.getString(1)).append('\n');
                            }
                        }
                    }
                }
            }
        }
        return dump.toString();
    }

    private List<String> auditActions() {
        List<String> actions = new ArrayList<>();
        for (JsonNode e : auditEntries()) {
            actions.add(e.path("action").asString());
        }
        return actions;
    }

    private JsonNode lastAudit(String action) {
        JsonNode last = null;
        for (JsonNode e : auditEntries()) {
            if (e.path("action").asString().equals(action)) {
                last = e;
            }
        }
        assertThat(last).as("an audit entry " + action).isNotNull();
        return last;
    }

    private List<JsonNode> auditEntries() {
        List<JsonNode> all = new ArrayList<>();
        String cursor = "";
        while (true) {
            JsonNode page = http.get(ADMIN, "/api/v1/audit?limit=100" + cursor).json();
            page.path("items").forEach(all::add);
            if (page.path("next").isNull() || page.path("next").isMissingNode()) {
                return all;
            }
            cursor = "&cursor=" + page.path("next").asString();
        }
    }
}
