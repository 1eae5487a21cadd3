package dev.tollgate.server;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page the servlet container forwards to when something fails outside Spring MVC (a request the container
 * itself refuses): a problem with the status only, never the container's message.
 */
@RestController
final class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    @PublicRoute(reason = "the container's error page: it only restates the status of a request already refused")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer i && HttpStatus.resolve(i) != null
                ? HttpStatus.valueOf(i)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String detail =
                switch (status) {
                    case NOT_FOUND -> "There is nothing at this path.";
                    case BAD_REQUEST -> "The request is malformed.";
                    case CONTENT_TOO_LARGE -> "The request is larger than this server accepts.";
                    case UNAUTHORIZED -> "Authentication is required: send 'Authorization: Bearer <api token>'.";
                    case FORBIDDEN -> "Your role does not permit this request.";
                    default ->
                        status.is5xxServerError()
                                ? "The server could not complete the request."
                                : "The request cannot be processed as sent.";
                };
        return Problems.response(status, detail, uri instanceof String s ? s : null);
    }
}
