package dev.tollgate.formats.archive;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * @param maxZstdWindow the largest window a zstd frame may declare (the history its decoder must keep); a frame
 *     declaring more is refused before anything is decoded
 */
public record Limits(
        long maxTotalBytes,
        long maxEntryBytes,
        long maxRatio,
        long bombMinimumBytes,
        int maxEntries,
        int maxDepth,
        int maxNameLength,
        long memoryThreshold,
        long maxZstdWindow) {

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
        requirePositive(maxZstdWindow, "maxZstdWindow");
        if (memoryThreshold > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("memoryThreshold must fit a Java array: " + memoryThreshold);
        }
    }

    /** The default zstd window limit: 2 GiB, what {@code zstd --long=31} declares, the largest zstd writes. */
    public static final long DEFAULT_MAX_ZSTD_WINDOW = 2 * GIB;

    /**
     * 8 GiB in total, 4 GiB per entry, ratio 200 above 32 MiB, 100,000 entries, depth 8, names of 4096 chars, zstd
     * windows up to 2 GiB.
     */
    public static Limits defaults() {
        return new Limits(8 * GIB, 4 * GIB, 200, 32 * MIB, 100_000, 8, 4096, 64 * MIB, DEFAULT_MAX_ZSTD_WINDOW);
    }

    public Limits withMaxTotalBytes(long value) {
        return with(0, value);
    }

    public Limits withMaxEntries(int value) {
        return with(4, value);
    }

    public Limits withMaxDepth(int value) {
        return with(5, value);
    }

    public Limits withMemoryThreshold(long value) {
        return with(7, value);
    }

    public Limits withMaxZstdWindow(long value) {
        return with(8, value);
    }

    /** These limits with the one at {@code index} in {@link #NAMES} set to {@code value}. */
    private Limits with(int index, long value) {
        long[] v = {
            maxTotalBytes,
            maxEntryBytes,
            maxRatio,
            bombMinimumBytes,
            maxEntries,
            maxDepth,
            maxNameLength,
            memoryThreshold,
            maxZstdWindow
        };
        v[index] = value;
        return new Limits(v[0], v[1], v[2], v[3], (int) v[4], (int) v[5], (int) v[6], v[7], v[8]);
    }

    /**
     * The names {@link #with(String, String)} accepts, each the record component's name, which is also the
     * {@code limit} an {@code archive.limit} finding's evidence names: the finding says which knob to turn.
     */
    public static final List<String> NAMES = List.of(
            "maxTotalBytes",
            "maxEntryBytes",
            "maxRatio",
            "bombMinimumBytes",
            "maxEntries",
            "maxDepth",
            "maxNameLength",
            "memoryThreshold",
            "maxZstdWindow");

    private static final Set<String> BYTE_VALUED =
            Set.of("maxTotalBytes", "maxEntryBytes", "bombMinimumBytes", "memoryThreshold", "maxZstdWindow");

    /** Upper bounds that keep a setting meaningful: past them a limit no longer protects anything, or overflows. */
    private static final Map<String, Long> MAXIMA = Map.ofEntries(
            Map.entry("maxTotalBytes", 1L << 50),
            Map.entry("maxEntryBytes", 1L << 50),
            Map.entry("maxRatio", 1_000_000L),
            Map.entry("bombMinimumBytes", 1L << 50),
            Map.entry("maxEntries", 100_000_000L),
            Map.entry("maxDepth", 64L),
            Map.entry("maxNameLength", 65_536L),
            Map.entry("memoryThreshold", 1L << 30),
            // A zstd frame's window descriptor can say up to 3.75 TiB; past 2 GiB no zstd writes one.
            Map.entry("maxZstdWindow", 1L << 31));

    /**
     * These limits with one of them set from text: {@code name} is one of {@link #NAMES}; {@code value} a positive
     * integer, for the byte-valued limits optionally with a binary unit ({@code 512KiB}, {@code 8GiB}; {@code K},
     * {@code M}, {@code G}, {@code T} mean the same).
     *
     * @throws IllegalArgumentException naming the limit, the value and what is wrong with it
     */
    public Limits with(String name, String value) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "unknown limit '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
        }
        long parsed = parse(name, value.strip());
        long max = MAXIMA.get(name);
        if (parsed < 1 || parsed > max) {
            throw new IllegalArgumentException(name + "=" + value + ": must be between 1 and " + max
                    + (BYTE_VALUED.contains(name) ? " bytes" : ""));
        }
        return with(NAMES.indexOf(name), parsed);
    }

    private static long parse(String name, String value) {
        String digits = value;
        long unit = 1;
        if (BYTE_VALUED.contains(name)) {
            String upper = value.toUpperCase(Locale.ROOT);
            String[][] units = {{"KIB", "K"}, {"MIB", "M"}, {"GIB", "G"}, {"TIB", "T"}};
            for (int i = 0; i < units.length; i++) {
                for (String suffix : units[i]) {
                    if (upper.endsWith(suffix) && unit == 1) {
                        digits = value.substring(0, value.length() - suffix.length())
                                .strip();
                        unit = 1L << (10 * (i + 1));
                    }
                }
            }
            if (upper.endsWith("B") && unit == 1 && !upper.endsWith("IB")) {
                digits = value.substring(0, value.length() - 1).strip();
            }
        }
        if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + "=" + value + ": not a whole number"
                    + (BYTE_VALUED.contains(name) ? " of bytes (a unit KiB, MiB, GiB or TiB may follow)" : ""));
        }
        long number;
        try {
            number = Long.parseLong(digits);
            return Math.multiplyExact(number, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(name + "=" + value + ": too large");
        }
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
