package dev.tollgate.intel;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reading test feeds into a list, at a fixed scan time. */
final class TestFeeds {

    /** The scan time of every test: long after the 3CX indicators were published. */
    static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    record Read(FeedSummary summary, List<Indicator> indicators) {
        List<String> values(IndicatorType type) {
            return indicators.stream()
                    .filter(i -> i.type() == type)
                    .map(Indicator::value)
                    .toList();
        }
    }

    private TestFeeds() {}

    static Path resource(String name) {
        try {
            return Path.of(TestFeeds.class.getResource("/feeds/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Read read(Path file) throws IntelFeedException {
        return read(file, FeedLimits.DEFAULT);
    }

    static Read read(Path file, FeedLimits limits) throws IntelFeedException {
        List<Indicator> indicators = new ArrayList<>();
        FeedSummary summary = IntelFeeds.read(file, NOW, limits, indicators::add);
        return new Read(summary, indicators);
    }

    static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    static IndicatorIndex index(String... resources) throws IntelFeedException {
        IndicatorIndex.Builder builder = IndicatorIndex.builder();
        for (String name : resources) {
            IntelFeeds.read(resource(name), NOW, builder);
        }
        return builder.build();
    }
}
