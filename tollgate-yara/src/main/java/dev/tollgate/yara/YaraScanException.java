package dev.tollgate.yara;

/**
 * A scan, or loading or saving compiled rules, failed inside libyara. {@link #errorName()} is libyara's error constant
 * ({@code ERROR_SCAN_TIMEOUT}, {@code ERROR_CORRUPT_FILE}, ...) from {@code yara/error.h}.
 */
public final class YaraScanException extends YaraException {

    private static final long serialVersionUID = 1L;

    private final int errorCode;

    YaraScanException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    YaraScanException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** libyara's numeric error code; 0 when the failure was found on the Java side. */
    public int errorCode() {
        return errorCode;
    }

    /** The name of {@link #errorCode()} as {@code yara/error.h} spells it. */
    public String errorName() {
        return Libyara.errorName(errorCode);
    }

    /** True when the scan stopped because it ran out of time. */
    public boolean isTimeout() {
        return errorCode == Libyara.ERROR_SCAN_TIMEOUT;
    }
}
