package dev.tollgate.formats.nsis;

import dev.tollgate.formats.FormatException;

/**
 * The bytes are an NSIS installer, but of a version, layout or compression this reader does not decode (an LZMA
 * stream behind a BCJ filter flag, a header whose block sizes match no known NSIS build). Not a malformed file: the
 * release must be held because its content could not be looked at, not because it is broken.
 */
public final class UnsupportedNsisException extends FormatException {

    private static final long serialVersionUID = 1L;

    public UnsupportedNsisException(long offset, String message) {
        super(offset, message);
    }
}
