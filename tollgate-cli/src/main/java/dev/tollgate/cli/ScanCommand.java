package dev.tollgate.cli;

import dev.tollgate.engine.Policy;
import dev.tollgate.engine.PolicyException;
import dev.tollgate.engine.ReportWriter;
import dev.tollgate.engine.ScanEngine;
import dev.tollgate.engine.ScanOptions;
import dev.tollgate.engine.ScanProgress;
import dev.tollgate.engine.TrustAnchors;
import dev.tollgate.model.Report;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tollgate scan PATH...}: vets files and directories and prints the report (DESIGN.md, "CLI"). */
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
final class ScanCommand implements Callable<Integer> {

    private final Terminal terminal;

    @Spec
    private CommandSpec spec;

    @Parameters(
            paramLabel = "PATH",
            arity = "1..*",
            description = "Files and directories to vet. Directories are walked; symbolic links inside them are "
                    + "reported, not followed.")
    private List<Path> paths = new ArrayList<>();

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

    @Option(names = "--threads", paramLabel = "N", description = "Files vetted at once (default: one per core).")
    private Integer threads;

    @Option(names = "--no-color", description = "No colour in the text report, even on a terminal.")
    private boolean noColor;

    @Option(names = "--debug", description = "Show stack traces on internal errors.")
    private boolean debug;

    ScanCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    boolean debug() {
        return debug;
    }

    @Override
    public Integer call() throws IOException {
        ScanOptions options = ScanOptions.defaults();
        if (threads != null) {
            if (threads < 1 || threads > ScanOptions.MAX_THREADS) {
                throw usage("--threads must be between 1 and " + ScanOptions.MAX_THREADS + ", got " + threads);
            }
            options = options.withThreads(threads);
        }
        if (output != null) {
            Path dir = Optional.ofNullable(output.toAbsolutePath().getParent()).orElse(Path.of("."));
            if (!Files.isDirectory(dir)) {
                throw usage("--output " + output + ": directory " + dir + " does not exist");
            }
            if (Files.isDirectory(output)) {
                throw usage("--output " + output + ": is a directory");
            }
        }
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw usage("no such file or directory: " + path);
            }
        }
        try {
            options = options.withPolicy(policy == null ? Policy.defaults() : Policy.load(policy));
        } catch (PolicyException e) {
            throw usage(e.getMessage());
        }
        List<X509Certificate> roots = new ArrayList<>();
        for (Path pem : trust) {
            try {
                roots.addAll(PemCertificates.load(pem));
            } catch (PemCertificates.PemException e) {
                throw usage("--trust " + e.getMessage());
            }
        }
        // Until the Authenticode work adds a factory that also reads the JDK's and configured roots.
        options = options.withTrust(TrustAnchors.of(roots));

        ProgressBar bar = null;
        if (terminal.errIsTerminal()) {
            bar = new ProgressBar(terminal.err());
            options = options.withProgress(bar);
        } else {
            options = options.withProgress(ScanProgress.NONE);
        }

        Report report;
        try {
            report = ScanEngine.create(options).scan(paths);
        } catch (NoSuchFileException e) {
            throw usage("no such file or directory: " + e.getFile());
        } finally {
            if (bar != null) {
                bar.clear();
            }
        }

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

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
