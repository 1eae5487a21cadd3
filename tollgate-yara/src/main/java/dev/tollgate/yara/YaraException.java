package dev.tollgate.yara;

/**
 * libyara could not do what was asked: the library is missing, rules did not compile, a scan failed, or a compiled
 * rules file is unreadable. The message is one line for a person; subclasses carry the details as fields.
 */
public sealed class YaraException extends Exception
        permits YaraUnavailableException, YaraCompileException, YaraScanException {

    private static final long serialVersionUID = 1L;

    YaraException(String message) {
        super(message);
    }

    YaraException(String message, Throwable cause) {
        super(message, cause);
    }
}
