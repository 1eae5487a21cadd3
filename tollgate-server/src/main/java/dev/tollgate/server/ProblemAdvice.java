package dev.tollgate.server;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;

/**
 * Turns every exception a controller lets out into a problem ({@link Problems}). What the client did wrong is named
 * (the field, the parameter, the part); what went wrong inside is logged with an incident id and only that id goes
 * out.
 */
@RestControllerAdvice
final class ProblemAdvice {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> problem(ProblemException e, HttpServletRequest request) {
        return Problems.response(e.status(), e.detail(), request.getRequestURI());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return Problems.response(HttpStatus.BAD_REQUEST, unreadableDetail(e), request.getRequestURI());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return Problems.response(
                HttpStatus.BAD_REQUEST,
                "The parameter '" + e.getName() + "' does not have the expected form.",
                request.getRequestURI());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(
            MissingServletRequestParameterException e, HttpServletRequest request) {
        return Problems.response(
                HttpStatus.BAD_REQUEST,
                "The parameter '" + e.getParameterName() + "' is required.",
                request.getRequestURI());
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<ProblemDetail> missingPart(MissingServletRequestPartException e, HttpServletRequest request) {
        return Problems.response(
                HttpStatus.BAD_REQUEST,
                "The multipart field '" + e.getRequestPartName() + "' is required.",
                request.getRequestURI());
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return Problems.response(
                HttpStatus.CONTENT_TOO_LARGE,
                "The upload is larger than this server accepts (tollgate.max-upload).",
                request.getRequestURI());
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e, HttpServletRequest request) {
        return Problems.response(
                HttpStatus.BAD_REQUEST,
                "The multipart body is malformed or truncated; send multipart/form-data with the fields 'version' and"
                        + " 'file'.",
                request.getRequestURI());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        String expected = e.getSupportedMediaTypes().isEmpty()
                ? ""
                : " Send " + e.getSupportedMediaTypes().getFirst() + ".";
        return Problems.response(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "This content type is not accepted here." + expected,
                request.getRequestURI());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return Problems.response(
                HttpStatus.METHOD_NOT_ALLOWED,
                "The method " + e.getMethod() + " is not allowed on this path.",
                request.getRequestURI());
    }

    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e, HttpServletRequest request) {
        return Problems.response(
                HttpStatus.BAD_REQUEST,
                "The request was refused as malformed (its path, headers or form fields).",
                request.getRequestURI());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return Problems.response(HttpStatus.NOT_FOUND, "There is nothing at this path.", request.getRequestURI());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> internal(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse error && error.getStatusCode().is4xxClientError()) {
            // Spring's other request errors: their status, and a detail of ours (theirs may quote internals)
            return Problems.response(
                    error.getStatusCode(), "The request cannot be processed as sent.", request.getRequestURI());
        }
        String incident = UUID.randomUUID().toString();
        LOG.error("incident {}: {} {} failed", incident, request.getMethod(), request.getRequestURI(), e);
        return Problems.response(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "The server could not complete the request; it was logged as incident " + incident + ".",
                request.getRequestURI());
    }

    private static String unreadableDetail(HttpMessageNotReadableException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof DatabindException databind && !databind.getPath().isEmpty()) {
                StringBuilder field = new StringBuilder();
                for (var reference : databind.getPath()) {
                    if (reference.getPropertyName() != null) {
                        field.append(field.isEmpty() ? "" : ".").append(reference.getPropertyName());
                    } else if (reference.getIndex() >= 0) {
                        field.append('[').append(reference.getIndex()).append(']');
                    }
                }
                return "The field '" + field + "' has the wrong type or form.";
            }
            if (t instanceof StreamReadException) {
                return "The request body is not well-formed JSON.";
            }
        }
        return "The request body is missing or cannot be read as JSON.";
    }
}
