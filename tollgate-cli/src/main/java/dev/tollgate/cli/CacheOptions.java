package dev.tollgate.cli;

import dev.tollgate.engine.ScanCache;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --cache DIR} and {@code --no-cache}, shared by {@code scan} and {@code diff}: where scans store what a later
 * diff needs about its previous release. The default follows the XDG base directory specification:
 * {@code $XDG_CACHE_HOME/tollgate} when that variable holds an absolute path, else {@code ~/.cache/tollgate}.
 */
final class CacheOptions {

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Scan cache directory (default: $XDG_CACHE_HOME/tollgate or ~/.cache/tollgate). Every file "
                    + "vetted is stored by content hash; diff reads OLD from it instead of vetting OLD again.")
    private Path directory;

    @Option(names = "--no-cache", description = "Neither read nor write the scan cache.")
    private boolean disabled;

    /** Whether both options were given, which contradict each other. */
    boolean conflicting() {
        return disabled && directory != null;
    }

    /** The cache these options ask for; problems with the directory are one warning line each on {@code err}. */
    ScanCache open(Map<String, String> environment, PrintStream err) {
        if (disabled) {
            return ScanCache.none();
        }
        Path dir = directory != null ? directory : defaultDirectory(environment);
        return ScanCache.directory(dir, warning -> err.println("tollgate: warning: " + Terminal.oneLine(warning)));
    }

    static Path defaultDirectory(Map<String, String> environment) {
        String xdg = environment.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "tollgate");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "tollgate");
    }
}
