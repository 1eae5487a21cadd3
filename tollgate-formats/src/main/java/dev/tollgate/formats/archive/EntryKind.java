package dev.tollgate.formats.archive;

/** What a container member is. Only {@link #FILE} members have content. */
public enum EntryKind {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK,
    /** A file the container lists but stores outside itself (an Electron asar's {@code app.asar.unpacked/} files). */
    EXTERNAL
}
