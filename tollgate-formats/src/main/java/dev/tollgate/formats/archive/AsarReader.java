package dev.tollgate.formats.archive;

import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.asar.AsarArchive;
import java.util.Optional;

/**
 * Electron asar archives: packed files are delivered as slices of the archive (no copy); files kept in
 * {@code app.asar.unpacked/} are reported as {@link EntryKind#EXTERNAL} members for the caller to vet from disk.
 */
final class AsarReader {

    private AsarReader() {}

    static void read(Walk walk) throws Refusal, FormatException {
        AsarArchive asar = AsarArchive.parse(walk.content());
        for (AsarArchive.Node n : asar.nodes()) {
            Optional<String> path = walk.admit(n.path());
            if (path.isEmpty()) {
                continue;
            }
            switch (n.kind()) {
                case DIRECTORY ->
                    walk.member(new Entry(n.path(), path.get(), 0, EntryKind.DIRECTORY, Optional.empty(), false));
                case LINK -> walk.member(new Entry(n.path(), path.get(), 0, EntryKind.SYMLINK, n.link(), false));
                case FILE -> {
                    if (n.unpacked()) {
                        walk.member(
                                new Entry(n.path(), path.get(), n.size(), EntryKind.EXTERNAL, Optional.empty(), false));
                    } else {
                        walk.file(Entry.file(n.path(), path.get(), n.size()), asar.content(n));
                    }
                }
            }
        }
    }
}
