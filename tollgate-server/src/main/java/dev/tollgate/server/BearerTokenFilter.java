package dev.tollgate.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Resolves {@code Authorization: Bearer <api token>} to a {@link Caller}. A request without the header goes on
 * anonymous (the rules then answer 401 where authentication is needed); a header that is malformed, or names a token
 * that is unknown, expired or revoked, is answered 401 at once.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";

    private final ApiTokens tokens;
    private final Problems problems;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    BearerTokenFilter(ApiTokens tokens, Problems problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            problems.write(
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "The Authorization header must be 'Bearer <api token>'.");
            return;
        }
        Optional<Caller> caller =
                tokens.authenticate(header.substring(PREFIX.length()).strip());
        if (caller.isEmpty()) {
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "The API token is unknown, expired or revoked.");
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new CallerAuthentication(caller.get()));
        contexts.setContext(context);
        chain.doFilter(request, response);
    }

    /** An authenticated {@link Caller}, with its role as the one authority. */
    static final class CallerAuthentication extends AbstractAuthenticationToken {

        private static final long serialVersionUID = 1L;

        private final transient Caller caller;

        CallerAuthentication(Caller caller) {
            super(caller.roles().stream()
                    .map(r -> new SimpleGrantedAuthority("ROLE_" + r.name()))
                    .toList());
            this.caller = caller;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Caller getPrincipal() {
            return caller;
        }
    }
}
