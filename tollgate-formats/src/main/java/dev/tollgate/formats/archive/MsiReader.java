package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.msi.MsiPackage;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Windows Installer packages: the files of each embedded cabinet, named by their install paths rather than the File
 * table keys the cabinet stores them under, then the other streams (Binary and Icon table data, where custom action
 * DLLs and scripts live) as {@code Binary.Name}.
 */
final class MsiReader {

    private MsiReader() {}

    static void read(Walk walk) throws IOException, Refusal, FormatException {
        MsiPackage msi = MsiPackage.parse(walk.content());
        Map<String, String> paths = msi.installPaths();
        for (MsiPackage.Cabinet cabinet : msi.cabinets()) {
            if (!cabinet.embedded()) {
                walk.problem(
                        ProblemKind.UNSUPPORTED,
                        cabinet.stream(),
                        "cabinet " + cabinet.stream() + " is shipped beside the package, not inside it; scan it too",
                        Map.of("cabinet", cabinet.stream()));
                continue;
            }
            byte[] bytes;
            try {
                bytes = msi.cabinet(cabinet, walk.limits().maxEntryBytes());
            } catch (FormatException e) {
                walk.problem(ProblemKind.TRUNCATED, cabinet.stream(), e.getMessage(), Map.of());
                continue;
            }
            try {
                CabReader.read(walk, ByteView.of(bytes), key -> paths.getOrDefault(key, key));
            } catch (FormatException e) {
                walk.problem(
                        ProblemKind.TRUNCATED,
                        cabinet.stream(),
                        "embedded cabinet " + cabinet.stream() + " is malformed: " + e.getMessage(),
                        Map.of());
            }
        }
        for (MsiPackage.Stream stream : msi.otherStreams()) {
            Optional<String> path = walk.admit(stream.name());
            if (path.isEmpty()) {
                continue;
            }
            Optional<byte[]> bytes = msi.stream(stream.name(), walk.limits().maxEntryBytes());
            if (bytes.isPresent()) {
                walk.file(Entry.file(stream.name(), path.get(), stream.size()), ByteView.of(bytes.get()));
            }
        }
    }
}
