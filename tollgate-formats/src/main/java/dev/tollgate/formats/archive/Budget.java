package dev.tollgate.formats.archive;

import java.util.Map;

/**
 * The expansion allowance of one top-level file, shared by every container nested in it, so that a nested bomb (a
 * zip of zips of zips) is stopped by the total however small each level looks. Not thread-safe: one top-level file is
 * unpacked on one thread.
 */
final class Budget {

    private final Limits limits;
    private final long topLevelSize;
    private long expanded;
    private int entries;
    private boolean exhausted;

    Budget(Limits limits, long topLevelSize) {
        this.limits = limits;
        this.topLevelSize = Math.max(1, topLevelSize);
    }

    Limits limits() {
        return limits;
    }

    /** Charges {@code bytes} expanded from a container of {@code containerSize} that has expanded {@code sofar}. */
    void charge(long bytes, long containerExpanded, long containerSize) throws Refusal {
        if (exhausted) {
            throw Refusal.silent();
        }
        expanded += bytes;
        if (expanded > limits.maxTotalBytes()) {
            exhausted = true;
            throw new Refusal(
                    Refusal.Scope.SCAN,
                    new Problem(
                            ProblemKind.LIMIT,
                            "",
                            "unpacking stopped: more than " + limits.maxTotalBytes() + " bytes expanded in total",
                            Map.of("limit", "maxTotalBytes", "value", limits.maxTotalBytes())));
        }
        if (expanded > limits.bombMinimumBytes() && expanded / limits.maxRatio() > topLevelSize) {
            exhausted = true;
            throw bomb(expanded, topLevelSize, Refusal.Scope.SCAN, "the file");
        }
        if (containerExpanded > limits.bombMinimumBytes() && containerExpanded / limits.maxRatio() > containerSize) {
            throw bomb(containerExpanded, containerSize, Refusal.Scope.CONTAINER, "the container");
        }
    }

    /** Counts one more entry. */
    void countEntry() throws Refusal {
        if (exhausted) {
            throw Refusal.silent();
        }
        if (++entries > limits.maxEntries()) {
            exhausted = true;
            throw new Refusal(
                    Refusal.Scope.SCAN,
                    new Problem(
                            ProblemKind.LIMIT,
                            "",
                            "unpacking stopped: more than " + limits.maxEntries() + " entries",
                            Map.of("limit", "maxEntries", "value", limits.maxEntries())));
        }
    }

    /** True once a total limit stopped unpacking: nothing more is unpacked from this top-level file. */
    boolean exhausted() {
        return exhausted;
    }

    private Refusal bomb(long out, long in, Refusal.Scope scope, String what) {
        return new Refusal(
                scope,
                new Problem(
                        ProblemKind.BOMB,
                        "",
                        "decompression bomb: " + what + " of " + in + " bytes expanded to more than " + out
                                + " bytes (ratio above " + limits.maxRatio() + ")",
                        Map.of("compressedBytes", in, "expandedBytes", out, "maxRatio", limits.maxRatio())));
    }
}
