package dev.tollgate.cli;

import dev.tollgate.analysis.FileAnalyzer;
import dev.tollgate.yara.YaraAnalyzer;
import dev.tollgate.yara.YaraCompileException;
import dev.tollgate.yara.YaraException;
import dev.tollgate.yara.YaraRules;
import dev.tollgate.yara.YaraUnavailableException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The YARA options of {@code scan}: rules are compiled (or loaded) once per run, before any file is read, and shared by
 * every scanning thread. A rule file that does not compile is a usage error naming {@code FILE:LINE}; a missing libyara
 * holds every file instead of skipping the rules.
 */
final class YaraOptions implements AutoCloseable {

    @Option(
            names = "--rules",
            paramLabel = "PATH",
            description = "YARA rules: a .yar file, or a directory of .yar/.yara files (each file its own namespace). "
                    + "Repeatable. Modules pe, math, hash and the rest of libyara's work.")
    private List<Path> rules = new ArrayList<>();

    @Option(
            names = "--compiled-rules",
            paramLabel = "FILE",
            description = "Load rules compiled earlier with --save-rules (only files you saved yourself).")
    private Path compiledRules;

    @Option(
            names = "--save-rules",
            paramLabel = "FILE",
            description = "Save the compiled --rules to FILE for --compiled-rules in later runs.")
    private Path saveRules;

    @Option(
            names = "--rules-timeout",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "Longest time YARA may spend on one file; a file that takes longer is held (default: 60).")
    private int timeoutSeconds;

    private final List<YaraRules> open = new ArrayList<>();

    /** The YARA analyzer this run asks for, if any; compile errors and bad options are usage errors. */
    Optional<FileAnalyzer> analyzer(CommandLine cli, PrintStream err) throws IOException {
        if (rules.isEmpty() && compiledRules == null) {
            if (saveRules != null) {
                throw new ParameterException(cli, "--save-rules needs --rules to compile");
            }
            return Optional.empty();
        }
        if (rules.isEmpty() == (compiledRules == null)) {
            throw new ParameterException(cli, "use either --rules or --compiled-rules, not both");
        }
        if (timeoutSeconds < 1) {
            throw new ParameterException(cli, "--rules-timeout must be at least 1 second, got " + timeoutSeconds);
        }
        try {
            YaraRules compiled = compiledRules != null ? YaraRules.load(compiledRules) : YaraRules.compile(rules);
            open.add(compiled);
            compiled.warnings().forEach(w -> err.println("tollgate: warning: " + w));
            if (saveRules != null) {
                compiled.save(saveRules);
            }
            return Optional.of(YaraAnalyzer.of(compiled, Duration.ofSeconds(timeoutSeconds)));
        } catch (YaraUnavailableException e) {
            err.println("tollgate: " + e.getMessage() + "; every file is held until the YARA rules can run");
            return Optional.of(YaraAnalyzer.unavailable(e));
        } catch (YaraCompileException e) {
            throw new ParameterException(cli, e.getMessage());
        } catch (YaraException e) {
            throw new ParameterException(cli, (compiledRules != null ? "--compiled-rules " : "") + e.getMessage());
        }
    }

    @Override
    public void close() {
        open.forEach(YaraRules::close);
        open.clear();
    }
}
