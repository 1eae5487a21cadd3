package dev.tollgate.formats.archive;

import java.io.IOException;

/** Carries a {@link Refusal} out of an {@link java.io.InputStream#read} that a library calls for us. */
final class RefusedIOException extends IOException {

    private static final long serialVersionUID = 1L;

    RefusedIOException(Refusal refusal) {
        super(refusal.getMessage(), refusal);
    }

    Refusal refusal() {
        return (Refusal) getCause();
    }
}
