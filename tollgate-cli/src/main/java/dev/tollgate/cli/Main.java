package dev.tollgate.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** The launcher's entry point. */
public final class Main {

    /** Exit codes (DESIGN.md, "CLI"). */
    public static final int EXIT_ALLOW = 0;

    public static final int EXIT_INTERNAL_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_HOLD = 3;
    public static final int EXIT_BLOCK = 4;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the CLI in-process, as tests do: the report goes to {@code out}, everything else to {@code err}. Colour and
     * the progress bar appear only when these are the process's own stdout and stderr and those are terminals.
     *
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Terminal terminal = Terminal.detect(out, err);
        CommandLine cli = new CommandLine(new TollgateCommand(terminal));
        cli.addSubcommand(new ScanCommand(terminal));
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, commandArgs) -> {
            CommandLine command = e.getCommandLine();
            String name = command.getCommandSpec().qualifiedName();
            err.println(name + ": " + Terminal.oneLine(e.getMessage()) + " (see '" + name + " --help')");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            boolean debug = command.getCommand() instanceof ScanCommand scan && scan.debug();
            err.println("tollgate: internal error: " + Terminal.oneLine(String.valueOf(e))
                    + (debug ? "" : " (run with --debug for the stack trace)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return EXIT_INTERNAL_ERROR;
        });
        return cli.execute(args);
    }
}
