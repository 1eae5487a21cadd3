package dev.tollgate.cli;

/** The launcher's entry point. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.err.println("tollgate: not yet implemented");
        System.exit(1);
    }
}
