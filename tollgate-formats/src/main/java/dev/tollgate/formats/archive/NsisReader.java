package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.nsis.NsisDataBlock;
import dev.tollgate.formats.nsis.NsisInstaller;
import dev.tollgate.formats.nsis.UnsupportedNsisException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * NSIS installers: every item of the data block, front to back, named by the install path of the {@code File}
 * instruction that extracts it ({@code $INSTDIR/bin/app.dll}). The uninstaller's items are
 * {@code nsis-data/uninstaller-icons} and {@code nsis-data/uninstaller} (its own installer data, itself unpacked as
 * NSIS); items no instruction names (anything an attacker appended) are vetted too, as
 * {@code nsis-data/0x<offset>}: nothing in the data block goes unseen. A failed CRC, an instruction whose offset is not
 * the start of an item, a file that does not decode and an installer this reader does not know are problems.
 */
final class NsisReader {

    /** The folder under which items that no {@code File} instruction names are reported. */
    static final String UNNAMED = "nsis-data/";

    private NsisReader() {}

    static void read(Walk walk) throws IOException, Refusal, FormatException {
        NsisInstaller nsis;
        try {
            nsis = NsisInstaller.parse(walk.content());
        } catch (UnsupportedNsisException e) {
            walk.problem(
                    ProblemKind.UNSUPPORTED,
                    "",
                    "NSIS installer not unpacked, its content is not vetted: " + e.getMessage(),
                    Map.of("offset", e.offset()));
            return;
        }
        Optional<NsisInstaller.Crc> crc = nsis.crc();
        if (crc.isPresent() && !crc.get().matches()) {
            walk.problem(
                    ProblemKind.TRUNCATED,
                    "",
                    "NSIS installer data fails its CRC-32 (stored 0x"
                            + Long.toHexString(crc.get().stored())
                            + ", computed 0x" + Long.toHexString(crc.get().computed())
                            + "): changed or damaged after makensis built it, and its stub refuses to run it",
                    Map.of(
                            "storedCrc",
                            crc.get().stored(),
                            "computedCrc",
                            crc.get().computed()));
        }
        Map<Long, List<NsisInstaller.File>> byOffset = new LinkedHashMap<>();
        for (NsisInstaller.File f : nsis.files()) {
            byOffset.computeIfAbsent(f.dataOffset(), k -> new ArrayList<>()).add(f);
        }
        Map<Long, String> uninstaller = new LinkedHashMap<>();
        for (NsisInstaller.Uninstaller u : nsis.uninstallers()) {
            uninstaller.putIfAbsent(u.dataOffset(), UNNAMED + "uninstaller-icons");
        }
        Set<Long> found = new HashSet<>();
        boolean afterIcons = false;
        try (NsisDataBlock.Cursor cursor = nsis.data().open(walk::metered)) {
            while (cursor.next()) {
                List<NsisInstaller.File> named = byOffset.getOrDefault(cursor.offset(), List.of());
                found.add(cursor.offset());
                List<String> names = new ArrayList<>();
                named.forEach(f -> names.add(f.name()));
                if (named.isEmpty() && uninstaller.containsKey(cursor.offset())) {
                    names.add(uninstaller.get(cursor.offset()));
                } else if (named.isEmpty() && afterIcons) {
                    names.add(UNNAMED + "uninstaller");
                } else if (named.isEmpty()) {
                    names.add(UNNAMED + "0x" + Long.toHexString(cursor.offset()));
                }
                afterIcons = named.isEmpty() && uninstaller.containsKey(cursor.offset());
                if (!item(walk, names, cursor) && nsis.solid()) {
                    return; // the rest of a broken solid stream cannot be read
                }
            }
        }
        for (NsisInstaller.File f : nsis.files()) {
            if (!found.contains(f.dataOffset())) {
                walk.problem(
                        ProblemKind.TRUNCATED,
                        f.name(),
                        "NSIS file " + f.name() + " points at data offset " + f.dataOffset()
                                + ", where no item of the data block starts; not vetted",
                        Map.of("dataOffset", f.dataOffset(), "entry", f.entry()));
            }
        }
    }

    /**
     * Vets one item under each of its names (makensis stores identical files once): decoded once, and spooled when
     * more than one name needs it. False when it could not be decoded (a problem has been reported).
     */
    private static boolean item(Walk walk, List<String> names, NsisDataBlock.Cursor cursor)
            throws IOException, Refusal, FormatException {
        List<Entry> entries = new ArrayList<>();
        for (String name : names) {
            Optional<String> path = walk.admit(name);
            path.ifPresent(p -> entries.add(Entry.file(name, p, cursor.size())));
        }
        if (entries.isEmpty()) {
            return true;
        }
        Optional<ByteView> stored = cursor.stored();
        if (stored.isPresent()) {
            for (Entry entry : entries) {
                walk.file(entry, stored.get());
            }
            return true;
        }
        String first = entries.getFirst().storedName();
        try {
            if (entries.size() == 1) {
                walk.file(entries.getFirst(), cursor.content());
                return true;
            }
            try (Spool.Content content = walk.spool(cursor.content(), cursor.size(), first)) {
                for (Entry entry : entries) {
                    walk.file(entry, content.view());
                }
            } catch (Refusal r) {
                if (r.scope() != Refusal.Scope.ENTRY) {
                    throw r;
                }
                r.problem().ifPresent(p -> walk.problem(p.kind(), p.entry(), p.message(), p.evidence()));
            }
            return true;
        } catch (UnsupportedNsisException e) {
            walk.problem(
                    ProblemKind.UNSUPPORTED,
                    first,
                    "NSIS file " + first + " is compressed in a way this reader does not decode; not vetted: "
                            + e.getMessage(),
                    Map.of("dataOffset", cursor.offset()));
            return false;
        } catch (FormatException e) {
            walk.problem(
                    ProblemKind.TRUNCATED,
                    first,
                    "NSIS file " + first + " could not be decoded; not vetted: " + e.getMessage(),
                    Map.of("dataOffset", cursor.offset()));
            return false;
        } catch (IOException e) {
            if (e instanceof RefusedIOException || e.getCause() instanceof RefusedIOException) {
                throw e;
            }
            walk.problem(
                    ProblemKind.TRUNCATED,
                    first,
                    "NSIS file " + first + " could not be decoded; not vetted: " + e.getMessage(),
                    Map.of("dataOffset", cursor.offset()));
            return false;
        }
    }
}
