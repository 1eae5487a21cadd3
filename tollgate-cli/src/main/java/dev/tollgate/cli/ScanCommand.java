package dev.tollgate.cli;

import dev.tollgate.engine.ScanEngine;
import dev.tollgate.model.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tollgate scan PATH...}: vets files and directories and prints the report (docs/DESIGN.md, "CLI"). */
@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        versionProvider = TollgateCommand.Version.class,
        sortOptions = false,
        description = {
            "Vets files and directories: hashes, type, signatures, tamper tricks and network indicators of every "
                    + "file, then the policy's verdict.",
            "The report goes to stdout (or --output); progress and errors go to stderr."
        },
        footer = {
            "",
            "Exit codes: 0 allow, 3 hold, 4 block, 2 usage error, 1 internal error.",
            "Default policy: a critical finding blocks, a high one holds."
        })
final class ScanCommand extends VettingCommand {

    @Parameters(
            paramLabel = "PATH",
            arity = "1..*",
            description = "Files and directories to vet. Directories are walked; symbolic links inside them are "
                    + "reported, not followed.")
    private List<Path> paths = new ArrayList<>();

    ScanCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    List<Path> inputs() {
        return paths;
    }

    @Override
    Report vet(ScanEngine engine) throws IOException {
        return engine.scan(paths);
    }
}
