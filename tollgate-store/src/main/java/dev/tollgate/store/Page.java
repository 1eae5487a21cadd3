package dev.tollgate.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of a list, and the cursor of the next page when there is one. */
public record Page<T>(List<T> items, Optional<String> next) {

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }

    /** The page of {@code fetched}, which holds up to {@code limit + 1} rows: the extra row says there is more. */
    static <T> Page<T> of(List<T> fetched, int limit, java.util.function.Function<T, String> cursor) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, Optional.empty());
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(items, Optional.of(cursor.apply(items.getLast())));
    }
}
