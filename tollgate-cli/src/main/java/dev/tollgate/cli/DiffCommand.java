package dev.tollgate.cli;

import dev.tollgate.engine.ScanCache;
import dev.tollgate.engine.ScanEngine;
import dev.tollgate.model.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate diff OLD NEW}: vets NEW with OLD as its previous approved release (docs/DESIGN.md, "CLI"); the report is
 * NEW's scan report plus the {@code diff.*} findings and a {@code diff} section.
 */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        versionProvider = TollgateCommand.Version.class,
        sortOptions = false,
        description = {
            "Vets NEW against OLD, its previous approved release: what changed, who signs it, what it can now do and "
                    + "where it now talks, ranked for a reviewer, then the policy's verdict.",
            "OLD and NEW are files, installers, archives or directories. Files are matched by their path inside the "
                    + "release, then by content hash (moves and renames).",
            "OLD's scan is cached by content hash (see --cache): once OLD has been scanned or diffed, a diff costs "
                    + "one SHA-256 pass over OLD plus a scan of NEW. NEW is always vetted in full.",
            "The report goes to stdout (or --output); progress and errors go to stderr."
        },
        footer = {
            "",
            "Exit codes: 0 allow, 3 hold, 4 block, 2 usage error, 1 internal error.",
            "Default policy: a critical finding blocks, a high one holds."
        })
final class DiffCommand extends VettingCommand {

    @Parameters(index = "0", paramLabel = "OLD", description = "The previous approved release.")
    private Path previous;

    @Parameters(index = "1", paramLabel = "NEW", description = "The release to vet.")
    private Path next;

    DiffCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    List<Path> inputs() {
        return List.of(previous, next);
    }

    @Override
    Report vet(ScanEngine engine) throws IOException {
        return engine.diff(List.of(previous), List.of(next));
    }

    @Override
    void vetted(ScanCache used, PrintStream err) {
        if (used.enabled()) {
            ScanCache.Statistics s = used.statistics();
            int files = s.hits() + s.misses();
            err.println("tollgate: OLD: " + s.hits() + " of " + files + " file" + (files == 1 ? "" : "s")
                    + " from the scan cache, " + s.misses() + " vetted");
        }
    }
}
