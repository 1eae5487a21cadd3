package dev.tollgate.intel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Every loaded indicator, arranged for lookups by what a scan observes. Built once, then immutable and safe to share
 * between scanning threads.
 *
 * <p>File digests live in sorted packed tables ({@code DigestTable}); domains, URLs, certificate values and networks in
 * hash maps. Domain lookups walk the observed name's suffixes, so an indicator for {@code example.com} matches {@code
 * cdn.example.com} but not {@code notexample.com}. Network lookups try each prefix length present in the index.
 */
public final class IndicatorIndex {

    private static final int[] NONE = new int[0];

    private final List<IndicatorSource> sources;
    private final Map<IndicatorType, DigestTable> digests;
    private final Map<IndicatorType, Map<String, int[]>> values;
    private final Map<IpNetwork, int[]> networks;
    private final int[] prefixesV4;
    private final int[] prefixesV6;
    private final Map<IndicatorType, Long> counts;

    private IndicatorIndex(Builder b) {
        this.sources = List.copyOf(b.sources);
        Map<IndicatorType, DigestTable> tables = new EnumMap<>(IndicatorType.class);
        b.digestBuilders.forEach((type, builder) -> tables.put(type, builder.build()));
        this.digests = tables;
        this.values = b.values;
        this.networks = b.networks;
        this.prefixesV4 = b.prefixesV4.stream().mapToInt(Integer::intValue).toArray();
        this.prefixesV6 = b.prefixesV6.stream().mapToInt(Integer::intValue).toArray();
        Map<IndicatorType, Long> c = new EnumMap<>(IndicatorType.class);
        for (IndicatorType type : IndicatorType.values()) {
            long n =
                    switch (type) {
                        case SHA256, SHA1, MD5 -> tables.get(type).size();
                        case IP ->
                            networks.values().stream().mapToLong(s -> s.length).sum();
                        default ->
                            values.get(type).values().stream()
                                    .mapToLong(s -> s.length)
                                    .sum();
                    };
            c.put(type, n);
        }
        this.counts = c;
    }

    /** A builder to feed readers into; it is a {@link Consumer} of indicators. */
    public static Builder builder() {
        return new Builder();
    }

    /** An index with nothing in it. */
    public static IndicatorIndex empty() {
        return builder().build();
    }

    /** The number of distinct (value, source) pairs of {@code type}. */
    public long size(IndicatorType type) {
        return counts.get(type);
    }

    /** The number of distinct (value, source) pairs over all types. */
    public long size() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Indicators for a file digest; {@code algorithm} is {@link IndicatorType#SHA256}, SHA1 or MD5. */
    public List<Indicator> matchFileHash(IndicatorType algorithm, String hex) {
        if (!algorithm.isFileHash()) {
            throw new IllegalArgumentException("not a file digest type: " + algorithm);
        }
        String key = hex.toLowerCase(Locale.ROOT);
        return hits(algorithm, key, digests.get(algorithm).lookup(key));
    }

    /** Indicators for the observed host name or any parent domain of it (never a mere string suffix). */
    public List<Indicator> matchDomain(String observed) {
        Optional<String> name = IndicatorValues.domainName(observed);
        if (name.isEmpty()) {
            return List.of();
        }
        Map<String, int[]> domains = values.get(IndicatorType.DOMAIN);
        List<Indicator> out = new ArrayList<>();
        String suffix = name.get();
        while (true) {
            out.addAll(hits(IndicatorType.DOMAIN, suffix, domains.getOrDefault(suffix, NONE)));
            int dot = suffix.indexOf('.');
            if (dot < 0) {
                return out;
            }
            suffix = suffix.substring(dot + 1);
        }
    }

    /** Indicators for the observed URL after normalization (scheme/host case, default port, fragment). */
    public List<Indicator> matchUrl(String observed) {
        String key;
        try {
            key = IndicatorValues.url(observed);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return hits(IndicatorType.URL, key, values.get(IndicatorType.URL).getOrDefault(key, NONE));
    }

    /** Indicators for the observed address: the address itself and every indexed network containing it. */
    public List<Indicator> matchIp(String observed) {
        IpNetwork address;
        try {
            address = IpNetwork.parse(observed);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        if (!address.isSingleAddress()) {
            return List.of();
        }
        List<Indicator> out = new ArrayList<>();
        for (int prefix : address.v6() ? prefixesV6 : prefixesV4) {
            IpNetwork network = address.truncate(prefix);
            out.addAll(hits(IndicatorType.IP, network.toString(), networks.getOrDefault(network, NONE)));
        }
        return out;
    }

    /** Indicators for a signing certificate's serial or thumbprint ({@link IndicatorType#CERT_SERIAL}, ...). */
    public List<Indicator> matchCertificate(IndicatorType type, String value) {
        if (type != IndicatorType.CERT_SERIAL && type != IndicatorType.CERT_SHA256 && type != IndicatorType.CERT_SHA1) {
            throw new IllegalArgumentException("not a certificate indicator type: " + type);
        }
        String key;
        try {
            key = type.normalize(value);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return hits(type, key, values.get(type).getOrDefault(key, NONE));
    }

    private List<Indicator> hits(IndicatorType type, String value, int[] ids) {
        if (ids.length == 0) {
            return List.of();
        }
        List<Indicator> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(new Indicator(type, value, sources.get(id)));
        }
        return out;
    }

    /** Collects indicators; {@link #build()} freezes them. Not thread-safe. */
    public static final class Builder implements Consumer<Indicator> {
        private final List<IndicatorSource> sources = new ArrayList<>();
        private final Map<IndicatorSource, Integer> sourceIds = new HashMap<>();
        private final Map<IndicatorType, DigestTable.Builder> digestBuilders = new EnumMap<>(IndicatorType.class);
        private final Map<IndicatorType, Map<String, int[]>> values = new EnumMap<>(IndicatorType.class);
        private final Map<IpNetwork, int[]> networks = new HashMap<>();
        private final TreeSet<Integer> prefixesV4 = new TreeSet<>();
        private final TreeSet<Integer> prefixesV6 = new TreeSet<>();
        private boolean built;

        private Builder() {
            digestBuilders.put(IndicatorType.SHA256, new DigestTable.Builder(64));
            digestBuilders.put(IndicatorType.SHA1, new DigestTable.Builder(40));
            digestBuilders.put(IndicatorType.MD5, new DigestTable.Builder(32));
            for (IndicatorType type : IndicatorType.values()) {
                if (!type.isFileHash() && type != IndicatorType.IP) {
                    values.put(type, new HashMap<>());
                }
            }
        }

        @Override
        public void accept(Indicator indicator) {
            add(indicator);
        }

        /** Adds one indicator; the same value from the same source twice is kept once. */
        public Builder add(Indicator indicator) {
            if (built) {
                throw new IllegalStateException("the index was already built");
            }
            int source = sourceIds.computeIfAbsent(indicator.source(), s -> {
                sources.add(s);
                return sources.size() - 1;
            });
            IndicatorType type = indicator.type();
            switch (type) {
                case SHA256, SHA1, MD5 -> digestBuilders.get(type).add(indicator.value(), source);
                case IP -> {
                    IpNetwork network = IpNetwork.parse(indicator.value());
                    (network.v6() ? prefixesV6 : prefixesV4).add(network.prefix());
                    networks.merge(network, new int[] {source}, Builder::union);
                }
                default -> values.get(type).merge(indicator.value(), new int[] {source}, Builder::union);
            }
            return this;
        }

        private static int[] union(int[] existing, int[] added) {
            for (int id : existing) {
                if (id == added[0]) {
                    return existing;
                }
            }
            int[] out = Arrays.copyOf(existing, existing.length + 1);
            out[existing.length] = added[0];
            return out;
        }

        /** Freezes the index; the builder cannot be used afterwards. */
        public IndicatorIndex build() {
            if (built) {
                throw new IllegalStateException("the index was already built");
            }
            built = true;
            return new IndicatorIndex(this);
        }
    }
}
