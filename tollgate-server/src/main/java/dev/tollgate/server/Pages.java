package dev.tollgate.server;

import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/**
 * The few server-rendered pages of the browser login, plain HTML forms with no script. Every value is HTML-escaped;
 * every form carries its CSRF token in the hidden input {@code _csrf}.
 */
final class Pages {

    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Pages() {}

    static ResponseEntity<String> login(HttpStatus status, String csrf, String error) {
        return page(status, "Sign in", error, """
                <form method="post" action="/login">
                  %s
                  <label>Username <input name="username" autocomplete="username" required autofocus></label>
                  <label>Password <input name="password" type="password" autocomplete="current-password" required>
                  </label>
                  <button type="submit">Continue</button>
                </form>""".formatted(hidden(csrf)));
    }

    static ResponseEntity<String> code(HttpStatus status, String action, String title, String csrf, String error) {
        return page(status, title, error, """
                <form method="post" action="%s">
                  %s
                  <label>Code from your authenticator app, or a recovery code
                    <input name="code" autocomplete="one-time-code" inputmode="numeric" required autofocus></label>
                  <button type="submit">Verify</button>
                </form>""".formatted(escape(action), hidden(csrf)));
    }

    static ResponseEntity<String> enrol(HttpStatus status, String secret, String uri, String csrf, String error) {
        return page(status, "Set up your second factor", error, """
                <p>Tollgate needs a second factor before anything else. Add this account to an authenticator app
                   (scan the QR code, or type the secret), then enter the code it shows.</p>
                %s
                <p>Secret: <code data-totp-secret="%s">%s</code></p>
                <p><small>%s</small></p>
                <form method="post" action="/login/enrol">
                  %s
                  <label>Code <input name="code" autocomplete="one-time-code" inputmode="numeric" required autofocus>
                  </label>
                  <button type="submit">Confirm</button>
                </form>""".formatted(
                        QrCode.svg(uri), escape(secret), escape(secret), escape(uri), hidden(csrf)));
    }

    static ResponseEntity<String> recoveryCodes(List<String> codes) {
        StringBuilder items = new StringBuilder();
        codes.forEach(c ->
                items.append("<li><code data-recovery-code>").append(escape(c)).append("</code></li>"));
        return page(HttpStatus.OK, "Your recovery codes", null, """
                <p>Each works once instead of a code from your app. Keep them somewhere safe: they are not shown
                   again.</p>
                <ul>%s</ul>
                <p><a href="/">Continue</a></p>""".formatted(items));
    }

    static ResponseEntity<String> home(String username, String roles, String csrf) {
        return page(HttpStatus.OK, "Tollgate", null, """
                <p>Signed in as <strong data-username>%s</strong> (%s).</p>
                <p><a href="/login/step-up">Give a code again</a> before approving or changing settings.</p>
                <form method="post" action="/logout">%s<button type="submit">Sign out</button></form>""".formatted(escape(username), escape(roles), hidden(csrf)));
    }

    static ResponseEntity<String> error(HttpStatus status, String message) {
        return page(status, status.getReasonPhrase(), message, "<p><a href=\"/login\">Sign in</a></p>");
    }

    static ResponseEntity<String> redirect(String location) {
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, location)
                .build();
    }

    private static ResponseEntity<String> page(HttpStatus status, String title, String error, String body) {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%s - Tollgate</title>
                <style>body{font-family:sans-serif;max-width:36em;margin:3em auto}label{display:block;margin:1em 0}
                .error{color:#a00}</style></head>
                <body><h1>%s</h1>%s
                %s
                </body></html>
                """.formatted(
                        escape(title),
                        escape(title),
                        error == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>",
                        body);
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Security-Policy", CSP)
                .header("Referrer-Policy", "no-referrer")
                .body(html);
    }

    private static String hidden(String csrf) {
        return "<input type=\"hidden\" name=\"_csrf\" value=\"" + escape(csrf) + "\">";
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text == null ? "" : text);
    }
}
