package dev.tollgate.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Two ways in: an API token ({@link BearerTokenFilter}) for machines, a browser session that gave a password and a
 * second factor ({@link SessionFilter}, {@link LoginController}) for people. Which role may do what is declared per
 * route ({@link RequiresPermission}) and enforced by {@link PermissionInterceptor}. CSRF: every state-changing request
 * without an {@code Authorization} header that carries a session, and every form outside {@code /api/}, must send the
 * session's token ({@code _csrf} in a form, {@code X-CSRF-TOKEN} in a header); bearer-token calls need none, since a
 * browser never adds that header by itself.
 */
@Configuration
class SecurityConfiguration {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Bean
    CsrfTokenRepository csrfTokenRepository() {
        return new HttpSessionCsrfTokenRepository(); // header X-CSRF-TOKEN, form field _csrf
    }

    @Bean
    SecurityFilterChain filterChain(
            HttpSecurity http,
            ApiTokens tokens,
            People people,
            IdentitySettings identity,
            Clock clock,
            CsrfTokenRepository csrfTokens,
            Problems problems)
            throws Exception {
        http.csrf(c -> c.csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(SecurityConfiguration::needsCsrf))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new BearerTokenFilter(tokens, problems), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new SessionFilter(people, identity, clock), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> problems.write(
                                request,
                                response,
                                HttpStatus.UNAUTHORIZED,
                                "Authentication is required: send 'Authorization: Bearer <api token>', or log in"
                                        + " at /login."))
                        .accessDeniedHandler((request, response, ex) -> denied(problems, request, response, ex)))
                .authorizeHttpRequests(a -> a.requestMatchers(
                                "/actuator/health",
                                "/actuator/health/**",
                                "/error",
                                "/",
                                "/login",
                                "/login/code",
                                "/login/enrol",
                                "/login/step-up",
                                "/logout")
                        .permitAll()
                        .anyRequest()
                        .authenticated());
        return http.build();
    }

    private static boolean needsCsrf(HttpServletRequest request) {
        if (SAFE_METHODS.contains(request.getMethod()) || request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            return false;
        }
        return request.getRequestedSessionId() != null
                || !request.getRequestURI().startsWith("/api/");
    }

    private static void denied(
            Problems problems, HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
            throws IOException {
        boolean csrf = ex instanceof CsrfException;
        if (request.getRequestURI().startsWith("/api/")) {
            problems.write(
                    request,
                    response,
                    HttpStatus.FORBIDDEN,
                    csrf
                            ? "The CSRF token is missing or wrong: send the csrfToken of GET /api/v1/me as"
                                    + " X-CSRF-TOKEN."
                            : "Your role does not permit this request.");
            return;
        }
        var page = Pages.error(
                HttpStatus.FORBIDDEN,
                csrf ? "This form expired or did not come from Tollgate; reload the page and try again." : "Refused.");
        response.setStatus(HttpStatus.FORBIDDEN.value());
        page.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(page.getBody());
    }

    /** A request the firewall refuses (an encoded slash, a bad header) is a 400 problem, not a 500. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(Problems problems) {
        return (request, response, e) -> problems.write(
                request,
                response,
                HttpStatus.BAD_REQUEST,
                "The request was refused as malformed (its path, headers or form fields).");
    }
}
