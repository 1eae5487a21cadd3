package dev.tollgate.store;

import java.io.IOException;

/** The blob store's file system cannot take the content and keep its reserve free; nothing was stored. */
public final class InsufficientStorageException extends IOException {

    private static final long serialVersionUID = 1L;

    public InsufficientStorageException(long neededBytes, long availableBytes) {
        super("the blob store needs " + neededBytes + " bytes and has " + availableBytes + " available");
    }
}
