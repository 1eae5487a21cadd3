package dev.tollgate.cli;

import dev.tollgate.engine.ScanProgress;
import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, redrawn in place with {@code \r}. Used only when stderr is a terminal, and shown
 * only once a scan has run for {@link #DELAY_NANOS}, so short scans print nothing. Redraws at most every
 * {@link #INTERVAL_NANOS}. The engine serialises calls.
 */
final class ProgressBar implements ScanProgress {

    static final long DELAY_NANOS = 1_000_000_000L;
    static final long INTERVAL_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private boolean drawn;

    ProgressBar(PrintStream err) {
        this.err = err;
    }

    @Override
    public void update(int filesDone, int filesTotal, long bytesDone, long bytesTotal) {
        long now = System.nanoTime();
        if (now - started < DELAY_NANOS || (drawn && now - lastDrawn < INTERVAL_NANOS && filesDone < filesTotal)) {
            return;
        }
        double fraction =
                bytesTotal > 0 ? (double) bytesDone / bytesTotal : filesTotal > 0 ? (double) filesDone / filesTotal : 1;
        int filled = (int) Math.round(fraction * WIDTH);
        String line = String.format(
                "\r[%s%s] %3d%%  %d/%d files  %s/%s",
                "#".repeat(filled),
                " ".repeat(WIDTH - filled),
                Math.round(fraction * 100),
                filesDone,
                filesTotal,
                TextReport.size(bytesDone),
                TextReport.size(bytesTotal));
        err.print(line);
        err.flush();
        drawn = true;
        lastDrawn = now;
    }

    /** Erases the bar, so what follows starts on a clean line. */
    void clear() {
        if (drawn) {
            err.print("\r\033[2K");
            err.flush();
        }
    }
}
