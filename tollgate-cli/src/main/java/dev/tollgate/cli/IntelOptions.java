package dev.tollgate.cli;

import dev.tollgate.analysis.FileAnalyzer;
import dev.tollgate.intel.FeedLimits;
import dev.tollgate.intel.FeedProblem;
import dev.tollgate.intel.FeedSummary;
import dev.tollgate.intel.IntelAnalyzer;
import dev.tollgate.intel.IntelFeedException;
import dev.tollgate.intel.IntelFeeds;
import dev.tollgate.intel.LoadedIntel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --intel FILE} (repeatable), shared by the commands that scan. Feeds load before the scan; a feed that cannot be
 * read at all is a usage error naming the file and position; a feed with bad entries loads the rest, and each bad entry
 * is a warning on stderr.
 */
final class IntelOptions {

    /** Warnings printed per feed; the summary line counts the rest. */
    private static final int MAX_WARNINGS = 20;

    @Option(
            names = "--intel",
            paramLabel = "FILE",
            description = "Threat-intel feed to match every file against: a STIX 2.1 bundle, a MISP event (JSON), or a "
                    + "CSV/TSV list of type,value[,description]. Repeatable.")
    private List<Path> feeds = new ArrayList<>();

    /** The intel analyzer over every feed given, or none when there is no {@code --intel}. */
    List<FileAnalyzer> analyzers(PrintStream err, CommandSpec spec) {
        if (feeds.isEmpty()) {
            return List.of();
        }
        long start = System.nanoTime();
        LoadedIntel intel;
        try {
            intel = IntelFeeds.load(feeds, Instant.now(), FeedLimits.DEFAULT);
        } catch (IntelFeedException e) {
            throw new ParameterException(spec.commandLine(), "--intel " + e.getMessage());
        }
        for (FeedSummary feed : intel.feeds()) {
            report(feed, err);
        }
        err.printf(
                "tollgate: intel: %,d indicators from %d feed%s in %.1f s%n",
                intel.index().size(), feeds.size(), feeds.size() == 1 ? "" : "s", (System.nanoTime() - start) / 1e9);
        return List.of(new IntelAnalyzer(intel.index()));
    }

    private static void report(FeedSummary feed, PrintStream err) {
        StringBuilder line = new StringBuilder("tollgate: intel: ")
                .append(feed.feed())
                .append(" (")
                .append(feed.format().label())
                .append("): ")
                .append(String.format("%,d", feed.loaded()))
                .append(" loaded");
        if (feed.skippedCount() > 0) {
            line.append(", ").append(String.format("%,d", feed.skippedCount())).append(" skipped (");
            line.append(feed.skipped().entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("; ")));
            line.append(')');
        }
        if (!feed.problems().isEmpty()) {
            line.append(", entries with problems (not loaded) listed below");
        }
        err.println(line);
        List<FeedProblem> problems = feed.problems();
        for (int i = 0; i < Math.min(problems.size(), MAX_WARNINGS); i++) {
            err.println("tollgate: warning: " + Terminal.oneLine(problems.get(i).toString()));
        }
        if (problems.size() > MAX_WARNINGS) {
            err.println("tollgate: warning: " + feed.feed() + ": " + (problems.size() - MAX_WARNINGS)
                    + " more entries with problems not shown");
        }
    }
}
