package dev.tollgate.formats.archive;

import java.util.Map;
import java.util.Objects;

/**
 * Something an archive did that unpacking refused or could not handle. Problems are data: the engine turns each into
 * an {@code archive.*} finding and goes on with the rest of the archive.
 *
 * @param kind what went wrong
 * @param entry the stored name of the entry concerned, or empty when the problem concerns the whole container
 * @param message one line for a person
 * @param evidence JSON-shaped values (String, Number, Boolean) that back the message
 */
public record Problem(ProblemKind kind, String entry, String message, Map<String, Object> evidence) {

    /**
     * What a reader library's {@link java.io.IOException} says about the bytes, for a problem's message; never the
     * text of an exception it wrapped ({@code new IOException(cause)} reads "java.lang.IllegalArgumentException:
     * ..."), which names our classes or a library's state, not the file.
     */
    static String reason(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if (message == null
                || message.isBlank()
                || (cause != null && message.equals(cause.toString()))
                || message.matches("(?s)^[a-z][\\w$]*(\\.[\\w$]+)+(Exception|Error)\\b.*")) {
            return "its structure is corrupt or uses a feature the reader does not handle";
        }
        return message;
    }

    public Problem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(message, "message");
        evidence = Map.copyOf(evidence);
    }
}
