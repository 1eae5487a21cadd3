package dev.tollgate.cli;

import dev.tollgate.model.FindingCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate codes}: every finding code Tollgate raises, with its default severity and meaning. */
@Command(
        name = "codes",
        mixinStandardHelpOptions = true,
        versionProvider = TollgateCommand.Version.class,
        description = {
            "Lists every finding code with its default severity and what it means.",
            "A policy's 'severities' and 'allow' name these codes (or a family such as archive.*)."
        })
final class CodesCommand implements Callable<Integer> {

    private final Terminal terminal;

    @Option(
            names = "--format",
            paramLabel = "text|tsv",
            description = "text (aligned columns, default) or tsv (code, severity, meaning; tab-separated)")
    private String format = "text";

    CodesCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("tsv")) {
            terminal.err().println("tollgate codes: --format must be text or tsv, not '" + format + "'");
            return Main.EXIT_USAGE;
        }
        int width = 0;
        for (FindingCode c : FindingCode.values()) {
            width = Math.max(width, c.code().length());
        }
        for (FindingCode c : FindingCode.values()) {
            String severity = c.defaultSeverity().label();
            terminal.out()
                    .println(
                            format.equals("tsv")
                                    ? c.code() + "\t" + severity + "\t" + c.meaning()
                                    : String.format("%-" + width + "s  %-8s  %s", c.code(), severity, c.meaning()));
        }
        return Main.EXIT_ALLOW;
    }
}
