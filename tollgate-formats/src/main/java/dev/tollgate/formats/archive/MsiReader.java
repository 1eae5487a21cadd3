package dev.tollgate.formats.archive;

import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.msi.MsiPackage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Windows Installer packages: the files of each embedded cabinet, named by their install paths rather than the File
 * table keys the cabinet stores them under, then the other streams (Binary and Icon table data, where custom action
 * DLLs and scripts live) as {@code Binary.Name}. Streams are read sector by sector from the package, never whole into
 * memory: a cabinet is spooled like an entry (on the heap when small, else to a private temporary file) because the
 * cabinet reader needs random access; the other streams go straight to the entry spool.
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
            cabinet(walk, msi, cabinet, paths);
        }
        appended(walk, msi);
        for (MsiPackage.Stream stream : msi.otherStreams()) {
            Optional<String> path = walk.admit(stream.name());
            if (path.isEmpty()) {
                continue;
            }
            try {
                Optional<InputStream> in =
                        msi.openStream(stream.name(), walk.limits().maxEntryBytes());
                if (in.isPresent()) {
                    try (InputStream content = in.get()) {
                        walk.file(Entry.file(stream.name(), path.get(), stream.size()), content);
                    }
                }
            } catch (FormatException e) {
                walk.problem(ProblemKind.TRUNCATED, stream.name(), e.getMessage(), Map.of());
            } catch (IOException e) {
                if (!(e.getCause() instanceof FormatException f) || e instanceof RefusedIOException) {
                    throw e;
                }
                walk.problem(ProblemKind.TRUNCATED, stream.name(), f.getMessage(), Map.of());
            }
        }
    }

    /** The name under which the bytes after the compound file's structure are vetted. */
    static final String APPENDED = "[appended data]";

    /**
     * The bytes after the compound file's structure (CVE-2020-1464, "GlueBall": no MSI signature covers them), vetted
     * as a file of their own, {@code Setup.msi![appended data]}; the MSI inspection reports them.
     */
    private static void appended(Walk walk, MsiPackage msi) throws Refusal, FormatException {
        Optional<dev.tollgate.formats.ByteView> appended = msi.appendedData();
        if (appended.isEmpty()) {
            return;
        }
        Optional<String> path = walk.admit(APPENDED);
        if (path.isPresent()) {
            walk.file(Entry.file(APPENDED, path.get(), appended.get().size()), appended.get());
        }
    }

    private static void cabinet(Walk walk, MsiPackage msi, MsiPackage.Cabinet cabinet, Map<String, String> paths)
            throws IOException, Refusal {
        Spool.Content spooled;
        try (InputStream in = msi.openCabinet(cabinet, walk.limits().maxEntryBytes())) {
            spooled = walk.spool(in, msi.streamSize(cabinet.stream()), cabinet.stream());
        } catch (FormatException e) {
            walk.problem(ProblemKind.TRUNCATED, cabinet.stream(), e.getMessage(), Map.of());
            return;
        } catch (Refusal r) {
            if (r.scope() != Refusal.Scope.ENTRY) {
                throw r;
            }
            r.problem().ifPresent(p -> walk.problem(p.kind(), p.entry(), p.message(), p.evidence()));
            return;
        } catch (IOException e) {
            if (!(e.getCause() instanceof FormatException f) || e instanceof RefusedIOException) {
                throw e;
            }
            walk.problem(ProblemKind.TRUNCATED, cabinet.stream(), f.getMessage(), Map.of());
            return;
        }
        try (spooled) {
            CabReader.read(walk, spooled.view(), key -> paths.getOrDefault(key, key));
        } catch (FormatException e) {
            walk.problem(
                    ProblemKind.TRUNCATED,
                    cabinet.stream(),
                    "embedded cabinet " + cabinet.stream() + " is malformed: " + e.getMessage(),
                    Map.of());
        }
    }
}
