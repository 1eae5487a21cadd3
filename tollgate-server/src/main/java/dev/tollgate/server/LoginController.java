package dev.tollgate.server;

import dev.tollgate.store.UserRow;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The browser login (DESIGN.md, "People"): {@code username} and {@code password}, then the second factor's
 * {@code code}; on the first login, enrolment of TOTP before anything else. Step-up asks for a code again. Every form
 * carries its CSRF token ({@code _csrf}); the session id changes at each step, and the CSRF token once logged in.
 */
@RestController
final class LoginController {

    private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED_VALUE;

    private final People people;
    private final CsrfTokenRepository csrfTokens;
    private final Clock clock;

    LoginController(People people, CsrfTokenRepository csrfTokens, Clock clock) {
        this.people = people;
        this.csrfTokens = csrfTokens;
        this.clock = clock;
    }

    @GetMapping("/")
    @PublicRoute(reason = "the signed-in page of a browser session, else a redirect to /login")
    ResponseEntity<String> home(HttpServletRequest request) {
        Optional<UserRow> user = Sessions.attribute(request, Sessions.USER).flatMap(people::find);
        if (user.isEmpty()) {
            return Pages.redirect("/login");
        }
        return Pages.home(user.get().username(), String.join(", ", user.get().roles()), csrf(request));
    }

    @GetMapping("/login")
    @PublicRoute(reason = "the login form: before anyone is authenticated")
    ResponseEntity<String> loginForm(HttpServletRequest request) {
        return Pages.login(HttpStatus.OK, csrf(request), null);
    }

    @PostMapping(path = "/login", consumes = FORM)
    @PublicRoute(reason = "checks the password: before anyone is authenticated")
    ResponseEntity<String> login(
            HttpServletRequest request,
            @RequestParam(required = false) String username,
            @RequestParam(required = false) String password) {
        UserRow user;
        try {
            user = people.checkPassword(username, password, request.getRemoteAddr());
        } catch (People.Refused e) {
            return Pages.login(HttpStatus.UNAUTHORIZED, csrf(request), e.getMessage());
        }
        HttpSession session = request.getSession();
        request.changeSessionId();
        session.removeAttribute(Sessions.USER);
        session.setAttribute(Sessions.PENDING_USER, user.id());
        return Pages.redirect(user.totpEnrolled() ? "/login/code" : "/login/enrol");
    }

    @GetMapping("/login/code")
    @PublicRoute(reason = "the second factor's form: the password was given, the session is not yet authenticated")
    ResponseEntity<String> codeForm(HttpServletRequest request) {
        if (Sessions.attribute(request, Sessions.PENDING_USER).isEmpty()) {
            return Pages.redirect("/login");
        }
        return Pages.code(HttpStatus.OK, "/login/code", "Second factor", csrf(request), null);
    }

    @PostMapping(path = "/login/code", consumes = FORM)
    @PublicRoute(reason = "checks the second factor of a session that gave its password")
    ResponseEntity<String> code(
            HttpServletRequest request, HttpServletResponse response, @RequestParam(required = false) String code) {
        Optional<String> pending = Sessions.attribute(request, Sessions.PENDING_USER);
        if (pending.isEmpty()) {
            return Pages.redirect("/login");
        }
        if (!people.checkCode(pending.get(), code, request.getRemoteAddr(), "login")) {
            return Pages.code(
                    HttpStatus.UNAUTHORIZED,
                    "/login/code",
                    "Second factor",
                    csrf(request),
                    "Wrong username, password or code, or the account is locked for a while.");
        }
        complete(request, response, pending.get());
        return Pages.redirect("/");
    }

    @GetMapping("/login/enrol")
    @PublicRoute(reason = "first-login enrolment of a second factor: the password was given")
    ResponseEntity<String> enrolForm(HttpServletRequest request) {
        Optional<String> pending = Sessions.attribute(request, Sessions.PENDING_USER);
        if (pending.isEmpty()) {
            return Pages.redirect("/login");
        }
        return enrolPage(request, pending.get(), HttpStatus.OK, null);
    }

    @PostMapping(path = "/login/enrol", consumes = FORM)
    @PublicRoute(reason = "confirms enrolment with a first code: the password was given")
    ResponseEntity<String> enrol(
            HttpServletRequest request, HttpServletResponse response, @RequestParam(required = false) String code) {
        Optional<String> pending = Sessions.attribute(request, Sessions.PENDING_USER);
        if (pending.isEmpty()) {
            return Pages.redirect("/login");
        }
        Optional<List<String>> codes;
        try {
            codes = people.confirmEnrolment(pending.get(), code, request.getRemoteAddr());
        } catch (People.Refused e) {
            return Pages.redirect("/login/code");
        }
        if (codes.isEmpty()) {
            return enrolPage(
                    request, pending.get(), HttpStatus.UNAUTHORIZED, "That code is wrong or was used already.");
        }
        complete(request, response, pending.get());
        return Pages.recoveryCodes(codes.get());
    }

    @GetMapping("/login/step-up")
    @PublicRoute(reason = "asks a signed-in person for a code again; without a session it redirects to /login")
    ResponseEntity<String> stepUpForm(HttpServletRequest request) {
        if (Sessions.attribute(request, Sessions.USER).isEmpty()) {
            return Pages.redirect("/login");
        }
        return Pages.code(HttpStatus.OK, "/login/step-up", "Confirm it is you", csrf(request), null);
    }

    @PostMapping(path = "/login/step-up", consumes = FORM)
    @PublicRoute(reason = "checks a signed-in person's code again; without a session it redirects to /login")
    ResponseEntity<String> stepUp(HttpServletRequest request, @RequestParam(required = false) String code) {
        Optional<String> user = Sessions.attribute(request, Sessions.USER);
        if (user.isEmpty()) {
            return Pages.redirect("/login");
        }
        if (!people.checkCode(user.get(), code, request.getRemoteAddr(), "login.step-up")) {
            return Pages.code(
                    HttpStatus.UNAUTHORIZED,
                    "/login/step-up",
                    "Confirm it is you",
                    csrf(request),
                    "That code is wrong or was used already.");
        }
        request.getSession().setAttribute(Sessions.SECOND_FACTOR, clock.instant());
        return Pages.redirect("/");
    }

    @PostMapping(path = "/logout", consumes = FORM)
    @PublicRoute(reason = "ends the caller's own browser session, whatever its state")
    ResponseEntity<String> logout(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            Object user = session.getAttribute(Sessions.USER);
            if (user instanceof String id) {
                people.loggedOut(id);
            }
            session.invalidate();
        }
        return Pages.redirect("/login");
    }

    private ResponseEntity<String> enrolPage(
            HttpServletRequest request, String userId, HttpStatus status, String error) {
        String secret;
        try {
            secret = people.enrolmentSecret(userId);
        } catch (People.Refused e) {
            return Pages.redirect("/login/code");
        }
        String username = people.find(userId).map(UserRow::username).orElse("");
        String uri = "otpauth://totp/Tollgate:"
                + URLEncoder.encode(username, StandardCharsets.UTF_8).replace("+", "%20") + "?secret=" + secret
                + "&issuer=Tollgate&algorithm=SHA1&digits=6&period=30";
        return Pages.enrol(status, secret, uri, csrf(request), error);
    }

    /** Both factors given: a new session id, the user in the session, a new CSRF token. */
    private void complete(HttpServletRequest request, HttpServletResponse response, String userId) {
        HttpSession session = request.getSession();
        request.changeSessionId();
        session.removeAttribute(Sessions.PENDING_USER);
        session.setAttribute(Sessions.USER, userId);
        session.setAttribute(Sessions.STARTED, clock.instant());
        session.setAttribute(Sessions.SECOND_FACTOR, clock.instant());
        csrfTokens.saveToken(null, request, response);
    }

    private static String csrf(HttpServletRequest request) {
        Object token = request.getAttribute(CsrfToken.class.getName());
        return token instanceof CsrfToken t ? t.getToken() : "";
    }
}
