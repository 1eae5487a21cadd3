package dev.tollgate.engine;

/**
 * Told after each file of a scan is vetted, from the scanning threads (calls are serialised by the engine). For
 * progress bars; must be quick and must not throw.
 */
@FunctionalInterface
public interface ScanProgress {

    ScanProgress NONE = (filesDone, filesTotal, bytesDone, bytesTotal) -> {};

    void update(int filesDone, int filesTotal, long bytesDone, long bytesTotal);
}
