package dev.tollgate.server;

import java.time.Instant;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** API tokens: made by an admin, shown once. */
@RestController
final class TokenController {

    private final ApiTokens tokens;

    TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping(path = "/api/v1/tokens", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresPermission(Permission.TOKEN_CREATE)
    @StepUp
    Api.TokenCreated create(@RequestBody Api.CreateToken request) {
        if (request == null) {
            throw ProblemException.badRequest("The request body is required: {\"name\": ..., \"role\": ...}.");
        }
        String name = Validation.text(request.name(), "name", 100);
        Role role = Role.fromLabel(request.role())
                .orElseThrow(() -> ProblemException.badRequest(
                        "The field 'role' must be one of admin, approver, analyst, auditor, submitter."));
        Optional<Instant> expiresAt = Optional.ofNullable(request.expiresAt());
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(Instant.now())) {
            throw ProblemException.badRequest("The field 'expiresAt' must be in the future.");
        }
        ApiTokens.Issued issued = tokens.create(PermissionInterceptor.caller(), name, role, expiresAt);
        return new Api.TokenCreated(
                issued.row().id(),
                issued.token(),
                issued.row().name(),
                issued.row().role(),
                issued.row().expiresAt().orElse(null));
    }
}
