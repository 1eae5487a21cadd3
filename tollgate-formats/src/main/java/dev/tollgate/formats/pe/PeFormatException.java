package dev.tollgate.formats.pe;

import dev.tollgate.formats.FormatException;

/**
 * The bytes cannot be read as a PE image at all: no {@code MZ} header, no {@code PE\0\0} signature, or headers cut
 * short. Damage further in (imports, resources, the certificate table) is reported as a {@link PeAnomaly} instead, so
 * the rest of the file can still be examined.
 */
public final class PeFormatException extends FormatException {

    private static final long serialVersionUID = 1L;

    public PeFormatException(long offset, String message) {
        super(offset, message);
    }

    public PeFormatException(long offset, String message, Throwable cause) {
        super(offset, message, cause);
    }
}
