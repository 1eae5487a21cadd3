package dev.tollgate.store;

import java.io.IOException;

/** A blob is longer than its limit; nothing was stored. */
public final class BlobTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    public BlobTooLargeException(long bytes, long limitBytes) {
        super("content of at least " + bytes + " bytes is over the limit of " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
