package dev.tollgate.cli;

import dev.tollgate.analysis.FileAnalyzer;
import dev.tollgate.engine.ScanCache;
import dev.tollgate.engine.ScanEngine;
import dev.tollgate.engine.ScanOptions;
import dev.tollgate.engine.ScanProgress;
import dev.tollgate.model.Report;
import dev.tollgate.report.ReportWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What {@code scan} and {@code diff} share: trust, policy, report format and output, the scan cache, threads, and the
 * run itself. A
 * subcommand names its inputs and asks the engine to vet them.
 */
abstract class VettingCommand implements Callable<Integer> {

    private final Terminal terminal;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--trust",
            paramLabel = "PEM",
            description = "Trust this root certificate (PEM, may hold several). Repeatable.")
    private List<Path> trust = new ArrayList<>();

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Policy YAML: severity per finding code, which severities block and hold.")
    private Path policy;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            converter = ReportFormat.Converter.class,
            defaultValue = "text",
            description = "Report format: text, json or sarif (default: text).")
    private ReportFormat format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the report to FILE (atomically) instead of stdout.")
    private Path output;

    @Option(
            names = "--limit",
            paramLabel = "NAME=VALUE",
            description = "Set an unpacking limit (repeatable): maxTotalBytes, maxEntryBytes, maxRatio, "
                    + "bombMinimumBytes, maxEntries, maxDepth, maxNameLength, memoryThreshold, maxZstdWindow. Byte counts take "
                    + "KiB, MiB, GiB or TiB. Overrides the policy's limits.")
    private List<String> limits = new ArrayList<>();

    @Mixin
    private YaraOptions yara = new YaraOptions();

    @Mixin
    private IntelOptions intel = new IntelOptions();

    @Mixin
    private CacheOptions cache = new CacheOptions();

    @Option(names = "--threads", paramLabel = "N", description = "Files vetted at once (default: one per core).")
    private Integer threads;

    @Option(names = "--no-color", description = "No colour in the text report, even on a terminal.")
    private boolean noColor;

    @Option(names = "--debug", description = "Show stack traces on internal errors.")
    private boolean debug;

    VettingCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The files and directories this command reads. */
    abstract List<Path> inputs();

    /** Runs the engine on the inputs. */
    abstract Report vet(ScanEngine engine) throws IOException;

    /** Called after a successful {@link #vet} with the cache it used; {@code diff} says what came from it. */
    void vetted(ScanCache used, PrintStream err) {}

    boolean debug() {
        return debug;
    }

    @Override
    public Integer call() throws IOException {
        try {
            return run();
        } finally {
            yara.close();
        }
    }

    private Integer run() throws IOException {
        ScanOptions options = ScanOptions.defaults();
        if (output != null) {
            Path dir = Optional.ofNullable(output.toAbsolutePath().getParent()).orElse(Path.of("."));
            if (!Files.isDirectory(dir)) {
                throw usage("--output " + output + ": directory " + dir + " does not exist");
            }
            if (Files.isDirectory(output)) { // also rules out writing "into" a directory by accident
                throw usage("--output " + output + ": is a directory");
            }
        }
        for (Path path : inputs()) {
            if (!Files.exists(path)) {
                throw usage("no such file or directory: " + path);
            }
        }
        if (cache.conflicting()) {
            throw usage("--cache and --no-cache contradict each other: give one");
        }
        options = PolicyAndTrust.apply(
                options, Optional.ofNullable(threads), Optional.ofNullable(policy), trust, this::usage);
        options = PolicyAndTrust.applyLimits(options, limits, this::usage);

        List<FileAnalyzer> analyzers = new ArrayList<>(intel.analyzers(terminal.err(), spec));
        yara.analyzer(spec.commandLine(), terminal.err()).ifPresent(analyzers::add);
        options = options.withAnalyzers(analyzers);
        ScanCache scanCache = cache.open(System.getenv(), terminal.err());
        options = options.withCache(scanCache);

        ProgressBar bar = null;
        if (terminal.errIsTerminal()) {
            bar = new ProgressBar(terminal.err());
            options = options.withProgress(bar);
        } else {
            options = options.withProgress(ScanProgress.NONE);
        }

        Report report;
        try {
            report = vet(ScanEngine.create(options));
        } catch (NoSuchFileException e) {
            throw usage("no such file or directory: " + e.getFile());
        } finally {
            if (bar != null) {
                bar.clear();
            }
        }
        vetted(scanCache, terminal.err());

        if (output == null) {
            Writer writer = new OutputStreamWriter(terminal.out(), StandardCharsets.UTF_8);
            render(report, writer, terminal.outIsTerminal() && terminal.colorWanted() && !noColor);
            writer.flush();
        } else {
            try {
                ReportFile.write(output, w -> render(report, w, false));
            } catch (IOException e) {
                terminal.err().println("tollgate: cannot write the report to " + output + ": " + reason(e));
                return Main.EXIT_INTERNAL_ERROR;
            }
            terminal.err()
                    .println("tollgate: " + report.verdict().label() + " ("
                            + report.files().size() + " files, "
                            + report.findings().size() + " findings); report written to " + output);
        }
        return switch (report.verdict()) {
            case ALLOW -> Main.EXIT_ALLOW;
            case HOLD -> Main.EXIT_HOLD;
            case BLOCK -> Main.EXIT_BLOCK;
        };
    }

    private void render(Report report, Writer out, boolean color) throws IOException {
        switch (format) {
            case TEXT -> new TextReport(color).write(report, out);
            case JSON -> ReportWriter.json().write(report, out);
            case SARIF -> ReportWriter.sarif().write(report, out);
        }
    }

    final ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
