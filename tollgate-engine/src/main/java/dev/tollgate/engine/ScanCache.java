package dev.tollgate.engine;

import dev.tollgate.model.FileRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What earlier scans learned about files, by content, so that {@code diff} need not vet its previous release again:
 * yesterday's scan of a release serves as today's OLD. An entry holds the {@link FileRecord}s of one top-level file
 * (itself and, for a container, every file inside it), keyed by the file's SHA-256, its name and a context that names
 * everything else the records depend on (Tollgate's build, unpack limits, trust anchors).
 *
 * <p>The cache is a trust input: an entry that is corrupt, truncated, too large or written for another key is a miss
 * (with one warning line), never a partial result. Only the previous release of a diff is ever read from it; the
 * release being vetted is always vetted in full. Thread-safe.
 */
public sealed interface ScanCache permits ScanCache.Disabled, DirectoryScanCache {

    /** No cache: every lookup misses, nothing is stored. */
    static ScanCache none() {
        return Disabled.INSTANCE;
    }

    /**
     * A cache in {@code directory}, created (mode 0700) when missing. A directory that cannot be created or that
     * someone else could write to is not used: {@code warnings} gets one line and the result is {@link #none()}.
     *
     * @param warnings receives one line per problem (an unusable directory, an invalid entry, a failed write)
     */
    static ScanCache directory(Path directory, Consumer<String> warnings) {
        return DirectoryScanCache.open(directory, warnings);
    }

    /** Whether this cache stores and finds anything; {@code false} for {@link #none()}. */
    boolean enabled();

    /**
     * The records stored for {@code key}, paths relative to the top-level file: {@code ""} for the file itself and
     * {@code !inner} for what it contains. Empty on a miss, including when the entry is invalid.
     */
    Optional<List<FileRecord>> load(Key key);

    /** Stores {@code records} (paths relative, as {@link #load} returns them) for {@code key}; never throws. */
    void store(Key key, List<FileRecord> records);

    /** Counts since this cache was opened. */
    Statistics statistics();

    /**
     * What an entry is for.
     *
     * @param context a digest of what else the records depend on (lower-case hex SHA-256)
     * @param name the file's name (a gzip member's name comes from it), without directories
     * @param sha256 the file content's SHA-256, lower-case hex
     * @param size the file's size in bytes
     */
    record Key(String context, String name, String sha256, long size) {

        private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

        public Key {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sha256, "sha256");
            if (!SHA256.matcher(context).matches()) {
                throw new IllegalArgumentException("context must be 64 lower-case hex digits: " + context);
            }
            if (!SHA256.matcher(sha256).matches()) {
                throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits: " + sha256);
            }
            if (size < 0) {
                throw new IllegalArgumentException("size cannot be negative: " + size);
            }
        }
    }

    /**
     * Counts of lookups and stores.
     *
     * @param hits lookups that found a valid entry
     * @param misses lookups that found none, or an invalid one
     * @param stored entries written
     */
    record Statistics(int hits, int misses, int stored) {}

    /** The cache that is not there. */
    enum Disabled implements ScanCache {
        INSTANCE;

        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public Optional<List<FileRecord>> load(Key key) {
            return Optional.empty();
        }

        @Override
        public void store(Key key, List<FileRecord> records) {}

        @Override
        public Statistics statistics() {
            return new Statistics(0, 0, 0);
        }
    }
}
