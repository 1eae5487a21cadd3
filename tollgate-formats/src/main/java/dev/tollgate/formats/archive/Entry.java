package dev.tollgate.formats.archive;

import java.util.Objects;
import java.util.Optional;

/**
 * One member of a container.
 *
 * @param storedName the name exactly as the container stores it (for messages and evidence)
 * @param path the normalised inner path: forward slashes, no leading slash, drive letter or {@code ..}, used in the
 *     {@code outer!inner} report path
 * @param size the size in bytes as declared by the container, or -1 when the container does not declare it
 * @param kind what the member is
 * @param linkTarget the target of a symbolic or hard link, as stored
 * @param encrypted true when the member's content is encrypted (it is then not delivered)
 */
public record Entry(
        String storedName, String path, long size, EntryKind kind, Optional<String> linkTarget, boolean encrypted) {

    public Entry {
        Objects.requireNonNull(storedName, "storedName");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(linkTarget, "linkTarget");
        if (size < -1) {
            throw new IllegalArgumentException("size must be -1 (unknown) or more: " + size);
        }
        if ((kind == EntryKind.SYMLINK || kind == EntryKind.HARDLINK) != linkTarget.isPresent()) {
            throw new IllegalArgumentException("a link and only a link has a target: " + kind + " " + linkTarget);
        }
    }

    /** A regular file. */
    public static Entry file(String storedName, String path, long size) {
        return new Entry(storedName, path, size, EntryKind.FILE, Optional.empty(), false);
    }
}
