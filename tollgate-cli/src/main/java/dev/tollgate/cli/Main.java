package dev.tollgate.cli;

import dev.tollgate.engine.ScanEngine;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/** The launcher's entry point. */
public final class Main {

    /** Exit codes (docs/DESIGN.md, "CLI"). */
    public static final int EXIT_ALLOW = 0;

    public static final int EXIT_INTERNAL_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_HOLD = 3;
    public static final int EXIT_BLOCK = 4;

    private Main() {}

    public static void main(String[] args) {
        ScanEngine.loadNativeCodeInBackground(); // overlaps picocli's start-up, on the otherwise idle core
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
        // picocli reflects over every option of every command it is given, about 0.1 s before anything runs. When the
        // first argument names a subcommand, the parse can only go there, so only that one is built; otherwise (help,
        // version, a mistyped name) all are, so that usage lists them and suggestions can name them.
        String first = args.length > 0 ? args[0] : "";
        boolean all = !List.of("scan", "diff", "intel", "submit", "codes").contains(first);
        if (all || first.equals("scan")) {
            cli.addSubcommand(new ScanCommand(terminal));
        }
        if (all || first.equals("diff")) {
            cli.addSubcommand(new DiffCommand(terminal));
        }
        if (all || first.equals("intel")) {
            cli.addSubcommand(
                    new CommandLine(new IntelCommand(terminal)).addSubcommand(new IntelExportCommand(terminal)));
        }
        if (all || first.equals("submit")) {
            cli.addSubcommand(new SubmitCommand(terminal));
        }
        if (all || first.equals("codes")) {
            cli.addSubcommand(new CodesCommand(terminal));
        }
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
            boolean debug = command.getCommand() instanceof VettingCommand vetting && vetting.debug();
            err.println("tollgate: internal error: " + Terminal.oneLine(String.valueOf(e))
                    + (debug ? "" : " (run with --debug for the stack trace)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return EXIT_INTERNAL_ERROR;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli handles exceptions; an Error escapes it. Say what to do rather than dump a trace.
            err.println("tollgate: out of memory; give the JVM more heap (JAVA_TOOL_OPTIONS=-Xmx...) or scan fewer"
                    + " files at once (--threads)");
            return EXIT_INTERNAL_ERROR;
        }
    }
}
