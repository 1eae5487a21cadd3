package dev.tollgate.server;

import dev.tollgate.intel.FeedLimits;
import dev.tollgate.intel.FeedSummary;
import dev.tollgate.intel.Indicator;
import dev.tollgate.intel.IndicatorIndex;
import dev.tollgate.intel.IndicatorSource;
import dev.tollgate.intel.IndicatorType;
import dev.tollgate.intel.IntelFeedException;
import dev.tollgate.intel.IntelFeeds;
import dev.tollgate.store.IntelRepository;
import dev.tollgate.store.NetworkIndicator;
import dev.tollgate.store.StoredAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The one place the server calls the intel module ({@code tollgate-intel}): reads an uploaded feed with its readers
 * (STIX 2.1, MISP, CSV, told apart by content), values in the module's canonical form, and matches IP networks over
 * candidate addresses with its index (the rest of the retro-hunt is SQL over stored facts).
 */
@Component
final class IntelFeedReader {

    /** The largest feed accepted over HTTP; bigger feeds are pulled on a schedule (not built yet). */
    static final long MAX_FEED_BYTES = 64L << 20;

    private static final FeedLimits LIMITS = new FeedLimits(MAX_FEED_BYTES, 2_000_000, 1 << 16, 64, 64 << 10, 32, 4096);

    /** A feed read: its format, its indicators in canonical form (deduplicated), and what was skipped. */
    record Read(String format, List<IntelRepository.NewIndicator> indicators, long skipped, int problems) {}

    /** A feed that is none of the formats, or is broken or over a limit: the message names why, not our paths. */
    static final class NotAFeed extends Exception {
        private static final long serialVersionUID = 1L;

        NotAFeed(String message) {
            super(message);
        }
    }

    Read read(Path file, String name, Instant now) throws NotAFeed {
        Map<String, IntelRepository.NewIndicator> indicators = new LinkedHashMap<>();
        FeedSummary summary;
        try {
            summary = IntelFeeds.read(file, now, LIMITS, indicator -> {
                String description = clip(indicator.source().name(), 2000);
                indicators.putIfAbsent(
                        indicator.type().label() + " " + indicator.value(),
                        new IntelRepository.NewIndicator(
                                indicator.type().label(),
                                indicator.value(),
                                description.isEmpty() ? null : description));
            });
        } catch (IntelFeedException e) {
            String message = e.getMessage().replace(file.toString(), name);
            throw new NotAFeed(message);
        }
        List<IntelRepository.NewIndicator> stored = new ArrayList<>();
        long skipped = summary.skippedCount() + summary.problems().size();
        for (IntelRepository.NewIndicator i : indicators.values()) {
            if (i.value().length() > 2048) {
                skipped++;
            } else {
                stored.add(i);
            }
        }
        return new Read(
                summary.format().label(), stored, skipped, summary.problems().size());
    }

    /** A stored address inside a stored network indicator. */
    record NetworkHit(StoredAddress address, NetworkIndicator network) {}

    /** The addresses that fall in one of the networks, by the intel module's own matching. */
    List<NetworkHit> matchNetworks(List<NetworkIndicator> networks, List<StoredAddress> addresses) {
        if (networks.isEmpty() || addresses.isEmpty()) {
            return List.of();
        }
        IndicatorIndex.Builder builder = IndicatorIndex.builder();
        Map<String, List<NetworkIndicator>> byValue = new LinkedHashMap<>();
        for (NetworkIndicator n : networks) {
            try {
                builder.add(Indicator.of(
                        IndicatorType.IP,
                        n.value(),
                        new IndicatorSource(
                                "stored",
                                dev.tollgate.intel.FeedFormat.CSV,
                                n.value(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty())));
                byValue.computeIfAbsent(IndicatorType.IP.normalize(n.value()), k -> new ArrayList<>())
                        .add(n);
            } catch (IllegalArgumentException e) {
                // stored by an older reader in another form: it cannot match here
            }
        }
        IndicatorIndex index = builder.build();
        List<NetworkHit> hits = new ArrayList<>();
        for (StoredAddress address : addresses) {
            for (Indicator indicator : index.matchIp(address.address())) {
                for (NetworkIndicator n : byValue.getOrDefault(indicator.value(), List.of())) {
                    hits.add(new NetworkHit(address, n));
                }
            }
        }
        return hits;
    }

    private static String clip(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
