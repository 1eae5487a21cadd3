package dev.tollgate.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link RequiresPermission} on our routes before they run: 401 without a caller, 403 when the caller's role
 * lacks the permission, and 403 for a route of ours that declares no permission at all (deny by default; the
 * architecture test catches it first). {@link PeopleOnly} refuses API tokens; {@link StepUp} refuses a person whose
 * second factor is older than the step-up window. Routes of libraries (the OpenAPI document) need only authentication.
 */
final class PermissionInterceptor implements HandlerInterceptor {

    private final ServerSettings settings;
    private final IdentitySettings identity;
    private final Clock clock;

    PermissionInterceptor(ServerSettings settings, IdentitySettings identity, Clock clock) {
        this.settings = settings;
        this.identity = identity;
        this.clock = clock;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)
                || !method.getBeanType().getPackageName().equals(PermissionInterceptor.class.getPackageName())) {
            return true;
        }
        if (method.hasMethodAnnotation(PublicRoute.class)) {
            return true;
        }
        if (!settings.servesApi()) {
            throw ProblemException.notFound("This node runs analysis workers only (--role worker); use an API node.");
        }
        RequiresPermission required = method.getMethodAnnotation(RequiresPermission.class);
        if (required == null) {
            throw ProblemException.forbidden("This route declares no permission, so nobody may call it.");
        }
        Caller caller = caller();
        if (!caller.permits(required.value())) {
            throw ProblemException.forbidden("The role '" + caller.roleLabels() + "' does not have the permission '"
                    + required.value().label() + "'.");
        }
        if (method.hasMethodAnnotation(PeopleOnly.class) && !caller.person()) {
            throw ProblemException.forbidden(
                    "Only a person may do this, logged in with a password and a second factor; API tokens may not.");
        }
        if (method.hasMethodAnnotation(StepUp.class)
                && caller.person()
                && caller.lastSecondFactor()
                        .map(at -> at.plus(identity.stepUp()).isBefore(clock.instant()))
                        .orElse(true)) {
            throw ProblemException.forbidden("This needs a second factor given in the last "
                    + identity.stepUp().toMinutes() + " minutes: enter a code at /login/step-up, then try again.");
        }
        return true;
    }

    /** The authenticated caller of the current request. */
    static Caller caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            return caller;
        }
        throw new ProblemException(
                HttpStatus.UNAUTHORIZED, "Authentication is required: send 'Authorization: Bearer <api token>'.");
    }
}
