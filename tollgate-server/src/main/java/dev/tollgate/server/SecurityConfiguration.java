package dev.tollgate.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Every route needs an API token but {@code /actuator/health} and the error page; which role may do what is declared
 * per route ({@link RequiresPermission}) and enforced by {@link PermissionInterceptor}. Stateless: no session, hence
 * no CSRF token to check yet (browser sessions arrive with the identity issue, and CSRF with them).
 */
@Configuration
class SecurityConfiguration {

    @Bean
    SecurityFilterChain filterChain(HttpSecurity http, ApiTokens tokens, Problems problems) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new BearerTokenFilter(tokens, problems), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> problems.write(
                                request,
                                response,
                                HttpStatus.UNAUTHORIZED,
                                "Authentication is required: send 'Authorization: Bearer <api token>'."))
                        .accessDeniedHandler((request, response, ex) -> problems.write(
                                request, response, HttpStatus.FORBIDDEN, "Your role does not permit this request.")))
                .authorizeHttpRequests(a -> a.requestMatchers("/actuator/health", "/actuator/health/**", "/error")
                        .permitAll()
                        .anyRequest()
                        .authenticated());
        return http.build();
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
