package dev.tollgate.store;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The domains a file's network indicator names, each with its parent domains ({@code cdn.orbit-update.example.com},
 * {@code orbit-update.example.com}, {@code example.com}, {@code com}): what {@code release_file_domains} holds so that
 * an indicated domain finds every subdomain by equality. A URL contributes its host when that is a name, not an address.
 */
final class DomainSuffixes {

    private static final int MAX_NAME = 253;

    private DomainSuffixes() {}

    static List<String> of(String type, String value) {
        String host =
                switch (type) {
                    case "domain" -> value;
                    case "url" -> host(value);
                    default -> "";
                };
        host = host.toLowerCase(Locale.ROOT);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.length() > MAX_NAME || host.contains(":") || isDottedQuad(host)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        String suffix = host;
        while (!suffix.isEmpty()) {
            out.add(suffix);
            int dot = suffix.indexOf('.');
            if (dot < 0) {
                break;
            }
            suffix = suffix.substring(dot + 1);
        }
        return out;
    }

    private static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static boolean isDottedQuad(String host) {
        return host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
