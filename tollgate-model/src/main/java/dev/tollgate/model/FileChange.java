package dev.tollgate.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One file's fate between two releases.
 *
 * @param kind what happened to it
 * @param key the file's path inside its release (the release root stripped), {@code ""} when a release is one file
 * @param previous the file in the previous release, absent when added
 * @param next the file in the new release, absent when removed
 */
public record FileChange(ChangeKind kind, String key, Optional<FileRecord> previous, Optional<FileRecord> next) {

    public FileChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(next, "next");
        boolean wantsPrevious = kind != ChangeKind.ADDED;
        boolean wantsNext = kind != ChangeKind.REMOVED;
        if (previous.isPresent() != wantsPrevious || next.isPresent() != wantsNext) {
            throw new IllegalArgumentException("a " + kind.label() + " change needs previous=" + wantsPrevious
                    + " and next=" + wantsNext + ": " + key);
        }
    }
}
