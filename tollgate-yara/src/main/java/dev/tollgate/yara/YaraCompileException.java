package dev.tollgate.yara;

import java.util.List;

/**
 * Rules did not compile: a syntax or semantic error, or a file that is not YARA at all. The message is the first
 * error as {@code FILE:LINE: message}; {@link #diagnostics()} holds every error and warning libyara reported.
 */
public final class YaraCompileException extends YaraException {

    private static final long serialVersionUID = 1L;

    private final transient List<YaraDiagnostic> diagnostics;

    YaraCompileException(String message, List<YaraDiagnostic> diagnostics) {
        super(message);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Every error and warning, in the order libyara reported them. */
    public List<YaraDiagnostic> diagnostics() {
        return diagnostics;
    }
}
