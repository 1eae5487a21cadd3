package dev.tollgate.server;

import dev.tollgate.store.UserRow;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Resolves a browser session that completed both factors to a person's {@link Caller}, read afresh from the database
 * (a user removed or given other roles is seen at once). A request with an {@code Authorization} header is the bearer
 * filter's; a session past its absolute lifetime is ended; one that owes a second factor authenticates nothing.
 */
final class SessionFilter extends OncePerRequestFilter {

    private final People people;
    private final IdentitySettings settings;
    private final Clock clock;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    SessionFilter(People people, IdentitySettings settings, Clock clock) {
        this.people = people;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        if (session != null && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            Object userId = session.getAttribute(Sessions.USER);
            Optional<Instant> started = Sessions.instant(session, Sessions.STARTED);
            Instant now = clock.instant();
            if (started.isPresent() && now.isAfter(started.get().plus(settings.sessionAbsolute()))) {
                session.invalidate();
            } else if (userId instanceof String id) {
                Optional<UserRow> user = people.find(id);
                Set<Role> roles = user.map(People::roles).orElse(Set.of());
                if (user.isEmpty() || roles.isEmpty() || !user.get().totpEnrolled()) {
                    session.invalidate();
                } else {
                    Instant secondFactor =
                            Sessions.instant(session, Sessions.SECOND_FACTOR).orElse(Instant.EPOCH);
                    SecurityContext context = contexts.createEmptyContext();
                    context.setAuthentication(new BearerTokenFilter.CallerAuthentication(
                            Caller.person(id, user.get().username(), roles, secondFactor)));
                    contexts.setContext(context);
                }
            }
        }
        chain.doFilter(request, response);
    }
}
