package dev.tollgate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tollgate intel ...}: threat-intel commands; only dispatches to its subcommands. */
@Command(
        name = "intel",
        mixinStandardHelpOptions = true,
        versionProvider = TollgateCommand.Version.class,
        description = "Threat intelligence: share what a scan found as STIX 2.1.",
        synopsisSubcommandLabel = "COMMAND")
final class IntelCommand implements Callable<Integer> {

    private final Terminal terminal;

    IntelCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        terminal.err()
                .println(
                        "tollgate intel: a command is required, e.g. 'tollgate intel export' (see 'tollgate intel --help')");
        return Main.EXIT_USAGE;
    }
}
