package dev.tollgate.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.util.Optional;

/**
 * What a browser session holds, as servlet session attributes: after the password, the user who still owes a second
 * factor ({@link #PENDING_USER}); after it, the user ({@link #USER}), when the session began and when the second factor
 * was last given. Nothing secret is kept in it.
 */
final class Sessions {

    static final String PENDING_USER = "tollgate.pendingUser";
    static final String USER = "tollgate.user";
    static final String STARTED = "tollgate.started";
    static final String SECOND_FACTOR = "tollgate.secondFactor";

    private Sessions() {}

    static Optional<String> attribute(HttpServletRequest request, String name) {
        HttpSession session = request.getSession(false);
        return session == null ? Optional.empty() : Optional.ofNullable((String) session.getAttribute(name));
    }

    static Optional<Instant> instant(HttpSession session, String name) {
        Object value = session.getAttribute(name);
        return value instanceof Instant i ? Optional.of(i) : Optional.empty();
    }
}
