package dev.tollgate.server;

import dev.tollgate.store.UserRow;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** People: made by an admin (who, as a person, gives a fresh second factor first); and who the caller is. */
@RestController
final class UserController {

    private final People people;

    UserController(People people) {
        this.people = people;
    }

    @PostMapping(path = "/api/v1/users", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.USER_WRITE)
    @StepUp
    ResponseEntity<Api.UserCreated> create(@RequestBody Api.CreateUser request) {
        UserRow row = people.create(PermissionInterceptor.caller(), request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + row.id()))
                .body(new Api.UserCreated(row.id(), row.username(), row.roles(), row.createdAt()));
    }

    /** The caller; for a browser session, with the CSRF token its JSON and multipart requests send. */
    @GetMapping("/api/v1/me")
    @RequiresPermission(Permission.SELF_READ)
    Api.Me me(HttpServletRequest request) {
        Caller caller = PermissionInterceptor.caller();
        String csrf = null;
        if (caller.person() && request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            csrf = token.getToken();
        }
        List<String> roles = caller.roles().stream().map(Role::label).sorted().toList();
        return new Api.Me(caller.name(), roles, csrf);
    }
}
