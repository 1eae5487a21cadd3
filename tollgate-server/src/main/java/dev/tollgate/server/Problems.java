package dev.tollgate.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error response of the server, RFC 9457 {@code application/problem+json}: {@code type}, {@code title} (the
 * status's phrase), {@code status}, {@code detail} (for a person: what is wrong and what to do; never exception text,
 * SQL or a stack) and {@code instance} (the request's path). Built here and nowhere else: by {@link ProblemAdvice} for
 * errors in controllers, and written directly by the security entry points and the error page.
 */
@Component
public final class Problems {

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private final JsonMapper json;

    public Problems(JsonMapper json) {
        this.json = json;
    }

    /** The problem for a status and a detail. */
    public static ProblemDetail of(HttpStatusCode status, String detail, String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ABOUT_BLANK); // RFC 9457 section 4.2.1: the status says it all
        HttpStatus known = HttpStatus.resolve(status.value());
        problem.setTitle(known == null ? "Error" : known.getReasonPhrase());
        if (path != null) {
            problem.setInstance(URI.create(safePath(path)));
        }
        return problem;
    }

    /** The response entity for a problem, with its media type. */
    public static ResponseEntity<ProblemDetail> response(HttpStatusCode status, String detail, String path) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(of(status, detail, path));
    }

    /** Writes a problem straight to a servlet response (filters and entry points, outside Spring MVC). */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        ProblemDetail problem = of(status, detail, request.getRequestURI());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json.writeValueAsString(body));
    }

    /** A request path as a URI reference: printable ASCII only, so that a hostile path cannot break the URI. */
    private static String safePath(String path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.length() && out.length() < 512; i++) {
            char c = path.charAt(i);
            out.append(c > 0x20 && c < 0x7f && c != '%' && c != '\\' && c != '"' && c != '<' && c != '>' ? c : '_');
        }
        return out.toString();
    }
}
