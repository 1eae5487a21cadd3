package dev.tollgate.model;

import java.util.List;

/** URLs, domains and IP addresses found in a file's strings, each list sorted and without duplicates. */
public record NetworkIndicators(List<String> urls, List<String> domains, List<String> ips) {

    public static final NetworkIndicators NONE = new NetworkIndicators(List.of(), List.of(), List.of());

    public NetworkIndicators {
        urls = List.copyOf(urls);
        domains = List.copyOf(domains);
        ips = List.copyOf(ips);
    }

    public boolean isEmpty() {
        return urls.isEmpty() && domains.isEmpty() && ips.isEmpty();
    }
}
