package dev.tollgate.formats.archive;

/**
 * How far unpacking may go before it is refused. The defaults let real vendor releases through (a few GiB of
 * installers, tens of thousands of files) and stop decompression bombs and hostile archives early.
 *
 * @param maxTotalBytes bytes expanded from one top-level file, across every nesting level
 * @param maxEntryBytes bytes of one entry
 * @param maxRatio expanded bytes per byte of the container (and of the top-level file) before it counts as a bomb
 * @param bombMinimumBytes below this many expanded bytes the ratio is not checked: small, very compressible files are
 *     common (a 1 MiB file of zeros compresses 1000:1)
 * @param maxEntries entries in one top-level file, across every nesting level
 * @param maxDepth nesting depth: a top-level file is depth 0, its entries depth 1
 * @param maxNameLength characters in one entry name
 * @param memoryThreshold entries up to this size are kept on the heap; larger ones go to a private temporary file
 */
public record Limits(
        long maxTotalBytes,
        long maxEntryBytes,
        long maxRatio,
        long bombMinimumBytes,
        int maxEntries,
        int maxDepth,
        int maxNameLength,
        long memoryThreshold) {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    public Limits {
        requirePositive(maxTotalBytes, "maxTotalBytes");
        requirePositive(maxEntryBytes, "maxEntryBytes");
        requirePositive(maxRatio, "maxRatio");
        requirePositive(bombMinimumBytes, "bombMinimumBytes");
        requirePositive(maxEntries, "maxEntries");
        requirePositive(maxDepth, "maxDepth");
        requirePositive(maxNameLength, "maxNameLength");
        requirePositive(memoryThreshold, "memoryThreshold");
        if (memoryThreshold > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("memoryThreshold must fit a Java array: " + memoryThreshold);
        }
    }

    /** 8 GiB in total, 4 GiB per entry, ratio 200 above 32 MiB, 100,000 entries, depth 8, names of 4096 chars. */
    public static Limits defaults() {
        return new Limits(8 * GIB, 4 * GIB, 200, 32 * MIB, 100_000, 8, 4096, 64 * MIB);
    }

    public Limits withMaxTotalBytes(long value) {
        return new Limits(
                value, maxEntryBytes, maxRatio, bombMinimumBytes, maxEntries, maxDepth, maxNameLength, memoryThreshold);
    }

    public Limits withMaxEntries(int value) {
        return new Limits(
                maxTotalBytes,
                maxEntryBytes,
                maxRatio,
                bombMinimumBytes,
                value,
                maxDepth,
                maxNameLength,
                memoryThreshold);
    }

    public Limits withMaxDepth(int value) {
        return new Limits(
                maxTotalBytes,
                maxEntryBytes,
                maxRatio,
                bombMinimumBytes,
                maxEntries,
                value,
                maxNameLength,
                memoryThreshold);
    }

    public Limits withMemoryThreshold(long value) {
        return new Limits(
                maxTotalBytes, maxEntryBytes, maxRatio, bombMinimumBytes, maxEntries, maxDepth, maxNameLength, value);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
