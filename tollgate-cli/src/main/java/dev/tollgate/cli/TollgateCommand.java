package dev.tollgate.cli;

import dev.tollgate.engine.ScanEngine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The top-level {@code tollgate} command: only dispatches to its subcommands. */
@Command(
        name = "tollgate",
        mixinStandardHelpOptions = true,
        versionProvider = TollgateCommand.Version.class,
        description = "Vets vendor releases before they are deployed.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {
            "",
            "Exit codes: 0 allow, 3 hold, 4 block, 2 usage error, 1 internal error.",
            "Run 'tollgate COMMAND --help' for a command's options."
        })
final class TollgateCommand implements Callable<Integer> {

    private final Terminal terminal;

    TollgateCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        terminal.err().println("tollgate: a command is required, e.g. 'tollgate scan PATH' (see 'tollgate --help')");
        return Main.EXIT_USAGE;
    }

    /** {@code --version}: the engine's build version and the native code it uses. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                ScanEngine.TOOL_NAME + " " + ScanEngine.version(),
                "file digests: " + ScanEngine.fileDigestImplementation(),
                "digests: " + ScanEngine.digestImplementation()
            };
        }
    }
}
