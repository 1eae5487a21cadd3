package dev.tollgate.yara;

/**
 * The system libyara ({@value Libyara#LIBRARY}, Debian package {@code libyara9}) cannot be loaded or lacks a function
 * Tollgate needs. A scan that asked for YARA rules must then be held, never silently run without them.
 */
public final class YaraUnavailableException extends YaraException {

    private static final long serialVersionUID = 1L;

    YaraUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
