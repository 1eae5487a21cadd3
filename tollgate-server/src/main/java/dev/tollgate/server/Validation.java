package dev.tollgate.server;

import dev.tollgate.store.Ids;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks of request values; each failure is a 400 problem naming the field and what it must be. */
final class Validation {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Validation() {}

    /** A required one-line text of 1 to {@code max} characters, stripped. */
    static String text(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest("The field '" + field + "' is required.");
        }
        String stripped = value.strip();
        if (stripped.length() > max || CONTROL.matcher(stripped).find()) {
            throw ProblemException.badRequest(
                    "The field '" + field + "' must be 1 to " + max + " characters without control characters.");
        }
        return stripped;
    }

    /** A required text that matches {@code pattern}, described for the client by {@code expected}. */
    static String matching(String value, String field, Pattern pattern, String expected) {
        if (value == null || value.isEmpty()) {
            throw ProblemException.badRequest("The field '" + field + "' is required.");
        }
        if (!pattern.matcher(value).matches()) {
            throw ProblemException.badRequest("The field '" + field + "' must be " + expected + ".");
        }
        return value;
    }

    /** An id from a path: a malformed one names nothing, so it is a 404 like an unknown one. */
    static String id(String value, String what) {
        if (!Ids.isWellFormed(value)) {
            throw ProblemException.notFound("No " + what + " has this id.");
        }
        return value;
    }

    /** An optional id in a body. */
    static Optional<String> optionalId(String value, String field) {
        if (value == null) {
            return Optional.empty();
        }
        if (!Ids.isWellFormed(value)) {
            throw ProblemException.badRequest("The field '" + field + "' must be an id (a UUID).");
        }
        return Optional.of(value);
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw ProblemException.badRequest("The parameter 'limit' must be within 1.." + MAX_PAGE + ".");
        }
        return limit;
    }

    /** A list cursor: the id the previous page ended with. */
    static Optional<String> cursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        if (!Ids.isWellFormed(cursor)) {
            throw ProblemException.badRequest("The parameter 'cursor' is not a cursor this server gave out.");
        }
        return Optional.of(cursor);
    }
}
