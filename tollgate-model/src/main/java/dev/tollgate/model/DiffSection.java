package dev.tollgate.model;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code diff} section of a report: the release it was compared with and every file's fate.
 *
 * @param previous the paths that made up the previous release
 * @param changes every file of either release, sorted by key
 */
public record DiffSection(List<String> previous, List<FileChange> changes) {

    public DiffSection {
        previous = List.copyOf(previous);
        changes = List.copyOf(changes);
    }

    /** How many files of each kind, every kind present. */
    public Map<ChangeKind, Long> counts() {
        Map<ChangeKind, Long> counts = new EnumMap<>(ChangeKind.class);
        for (ChangeKind kind : ChangeKind.values()) {
            counts.put(kind, 0L);
        }
        changes.forEach(c -> counts.merge(c.kind(), 1L, Long::sum));
        return counts;
    }

    /** The changes of one kind. */
    public List<FileChange> of(ChangeKind kind) {
        Objects.requireNonNull(kind, "kind");
        return changes.stream().filter(c -> c.kind() == kind).toList();
    }
}
