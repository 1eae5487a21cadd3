package dev.tollgate.formats.pe;

import java.util.ArrayList;
import java.util.List;

/** Collects anomalies during one parse, bounded so that a hostile file cannot make the list itself a problem. */
final class Anomalies {

    private final List<PeAnomaly> list = new ArrayList<>();
    private boolean overflowed;

    void add(PeAnomaly.Kind kind, long offset, String message) {
        if (list.size() < PeFile.MAX_ANOMALIES) {
            list.add(new PeAnomaly(kind, Math.max(0, offset), message));
        } else if (!overflowed) {
            overflowed = true;
            list.add(new PeAnomaly(
                    PeAnomaly.Kind.LIMIT,
                    Math.max(0, offset),
                    "more than " + PeFile.MAX_ANOMALIES + " anomalies; the rest are not listed"));
        }
    }

    List<PeAnomaly> toList() {
        return List.copyOf(list);
    }
}
