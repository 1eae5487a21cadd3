package dev.tollgate.cli;

import java.io.PrintStream;

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
     * Runs the CLI in-process, as tests do: the report goes to {@code out}, everything else to {@code err}.
     *
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        err.println("tollgate: not yet implemented");
        return EXIT_INTERNAL_ERROR;
    }
}
