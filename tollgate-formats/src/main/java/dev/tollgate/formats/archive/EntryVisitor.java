package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;

/**
 * Receives a container's members one by one, in the container's order. Called on the thread that called
 * {@link Unpacker#unpack}; implementations should not throw.
 */
public interface EntryVisitor {

    /**
     * A regular file and its content. {@code content} is valid only during this call (it may be a temporary file
     * that is unmapped and deleted right after): copy what must outlive it.
     */
    void file(Entry entry, ByteView content);

    /** A member without content here: a directory, a link (not followed), or a file stored outside the container. */
    default void member(Entry entry) {}

    /** Something unpacking refused or could not handle; unpacking goes on with the rest when it can. */
    void problem(Problem problem);
}
