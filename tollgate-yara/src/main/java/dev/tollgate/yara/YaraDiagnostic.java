package dev.tollgate.yara;

import java.util.Objects;

/**
 * One error or warning libyara's compiler reported, as {@code FILE:LINE: message}.
 *
 * @param error true for an error (the rules did not compile), false for a warning
 * @param file the rule file as given to the compiler, or the source name for rules compiled from text
 * @param line the 1-based line libyara blamed; 0 when it named none
 * @param message libyara's own message, unchanged
 */
public record YaraDiagnostic(boolean error, String file, int line, String message) {

    public YaraDiagnostic {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line cannot be negative: " + line);
        }
    }

    /** {@code FILE:LINE: message}, the form compilers and editors understand. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
