package dev.tollgate.cli;

import dev.tollgate.engine.ScanEngine;
import dev.tollgate.engine.ScanOptions;
import dev.tollgate.engine.ScanProgress;
import dev.tollgate.intel.IntelAnalyzer;
import dev.tollgate.intel.StixExporter;
import dev.tollgate.model.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate intel export PATH... --output FILE}: scans like {@code scan} and writes what it found as a STIX 2.1
 * bundle (every vetted file as a {@code file} observable, a sighting of every matched indicator), for peers and ISACs.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = TollgateCommand.Version.class,
        sortOptions = false,
        description = {
            "Scans files and directories as 'tollgate scan' does and writes the result as a STIX 2.1 bundle: every "
                    + "vetted file as a file observable with its hashes, and a sighting of each threat-intel "
                    + "indicator that matched (indicators from MISP or CSV feeds are written out as STIX indicators).",
            "Progress and errors go to stderr."
        },
        footer = {"", "Exit codes as for scan: 0 allow, 3 hold, 4 block, 2 usage error, 1 internal error."})
final class IntelExportCommand implements Callable<Integer> {

    private final Terminal terminal;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files and directories to vet.")
    private List<Path> paths = new ArrayList<>();

    @Mixin
    private IntelOptions intel = new IntelOptions();

    @Option(
            names = "--trust",
            paramLabel = "PEM",
            description = "Trust this root certificate (PEM, may hold several). Repeatable.")
    private List<Path> trust = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy YAML, as for scan.")
    private Path policy;

    @Option(names = "--threads", paramLabel = "N", description = "Files vetted at once (default: one per core).")
    private Integer threads;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            required = true,
            description = "Write the STIX 2.1 bundle to FILE (atomically).")
    private Path output;

    @Option(
            names = "--identity",
            paramLabel = "NAME",
            defaultValue = "Tollgate user",
            description =
                    "Your organization's name, as the bundle's creator and the sighter (default: ${DEFAULT-VALUE}).")
    private String identity;

    IntelExportCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        if (identity.isBlank()) {
            throw usage("--identity cannot be blank");
        }
        Path dir = Optional.ofNullable(output.toAbsolutePath().getParent()).orElse(Path.of("."));
        if (!Files.isDirectory(dir)) {
            throw usage("--output " + output + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(output)) {
            throw usage("--output " + output + ": is a directory");
        }
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw usage("no such file or directory: " + path);
            }
        }
        ScanOptions options = ScanOptions.defaults().withProgress(ScanProgress.NONE);
        options = PolicyAndTrust.apply(
                options, Optional.ofNullable(threads), Optional.ofNullable(policy), trust, this::usage);
        options = options.withAnalyzers(intel.analyzers(terminal.err(), spec));

        Report report;
        try {
            report = ScanEngine.create(options).scan(paths);
        } catch (NoSuchFileException e) {
            throw usage("no such file or directory: " + e.getFile());
        }
        StixExporter exporter = new StixExporter(identity, Clock.systemUTC());
        try {
            ReportFile.write(output, w -> exporter.write(report, w));
        } catch (IOException e) {
            terminal.err()
                    .println("tollgate: cannot write the STIX bundle to " + output + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return Main.EXIT_INTERNAL_ERROR;
        }
        long sightings = report.findings().stream()
                .filter(f -> IntelAnalyzer.CODES.contains(f.code()))
                .count();
        terminal.err()
                .println("tollgate: " + report.verdict().label() + " ("
                        + report.files().size() + " files, " + sightings
                        + " intel matches); STIX 2.1 bundle written to " + output);
        return switch (report.verdict()) {
            case ALLOW -> Main.EXIT_ALLOW;
            case HOLD -> Main.EXIT_HOLD;
            case BLOCK -> Main.EXIT_BLOCK;
        };
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
