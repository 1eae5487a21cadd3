package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.asar.AsarArchive;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
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
                        packed(walk, asar, n, path.get());
                    }
                }
            }
        }
    }

    /**
     * A packed file; one whose offset or size points outside the archive is reported and skipped, and the walk goes
     * on: a single bad node must not hide the files listed after it.
     */
    private static void packed(Walk walk, AsarArchive asar, AsarArchive.Node n, String path) throws Refusal {
        ByteView content;
        try {
            content = asar.content(n);
        } catch (FormatException e) {
            walk.problem(
                    ProblemKind.TRUNCATED,
                    n.path(),
                    e.getMessage() + "; not vetted",
                    Map.of("offset", n.offset(), "size", n.size()));
            walk.member(new Entry(n.path(), path, n.size(), EntryKind.FILE, Optional.empty(), false));
            return;
        }
        if (n.sha256().isPresent()) {
            String actual = sha256(content);
            if (!actual.equals(n.sha256().get())) {
                walk.problem(
                        ProblemKind.INTEGRITY_MISMATCH,
                        n.path(),
                        "asar file " + n.path() + " does not have the SHA-256 its header's integrity gives it ("
                                + n.sha256().get() + "); its bytes are " + actual + ": changed after packing",
                        Map.of("claimed", n.sha256().get(), "sha256", actual));
            }
        }
        walk.file(Entry.file(n.path(), path, n.size()), content);
    }

    private static String sha256(ByteView content) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(content.segment().asByteBuffer());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
