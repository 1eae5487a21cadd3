package dev.tollgate.intel;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/** Canonical forms of indicator values, shared by the feed readers (strict) and the matcher (lenient). */
final class IndicatorValues {

    private static final int MAX_DOMAIN = 253;
    private static final int MAX_URL = 8192;
    private static final int MAX_SERIAL_HEX = 128;

    private IndicatorValues() {}

    static String normalize(IndicatorType type, String raw) {
        return switch (type) {
            case SHA256, CERT_SHA256 -> hex(raw, 64, type);
            case SHA1, CERT_SHA1 -> hex(raw, 40, type);
            case MD5 -> hex(raw, 32, type);
            case DOMAIN -> indicatorDomain(raw);
            case URL -> url(raw);
            case IP -> ipIndicator(raw);
            case CERT_SERIAL -> serial(raw);
        };
    }

    /** A value for a message: at most 80 characters, control characters replaced, so hostile feeds cannot flood logs. */
    static String clip(String raw) {
        String shown = raw.length() > 80 ? raw.substring(0, 77) + "..." : raw;
        StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static String hex(String raw, int digits, IndicatorType type) {
        String text = raw.strip();
        if (type == IndicatorType.CERT_SHA256 || type == IndicatorType.CERT_SHA1) {
            // certificate viewers print thumbprints as "AB:CD:..." or "AB CD ..."
            text = text.replace(":", "").replace(" ", "");
        }
        if (text.length() != digits || !isHex(text)) {
            throw new IllegalArgumentException(
                    type.algorithm() + " must be " + digits + " hex digits: '" + clip(raw) + "'");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    static boolean isHex(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** Serial numbers lose separators and leading zeros: DER adds a zero byte to keep a high-bit serial positive. */
    private static String serial(String raw) {
        String text = raw.strip().replace(":", "").replace(" ", "").replace("-", "");
        if (text.startsWith("0x") || text.startsWith("0X")) {
            text = text.substring(2);
        }
        if (text.length() > MAX_SERIAL_HEX || !isHex(text)) {
            throw new IllegalArgumentException("certificate serial must be hex digits: '" + clip(raw) + "'");
        }
        int start = 0;
        while (start < text.length() - 1 && text.charAt(start) == '0') {
            start++;
        }
        return text.substring(start).toLowerCase(Locale.ROOT);
    }

    /** A feed's domain: at least two labels, since a single-label indicator ({@code com}) would match half the web. */
    private static String indicatorDomain(String raw) {
        String name = domainName(raw)
                .orElseThrow(() -> new IllegalArgumentException("not a domain name: '" + clip(raw) + "'"));
        if (name.indexOf('.') < 0) {
            throw new IllegalArgumentException("domain indicator needs at least two labels: '" + clip(raw) + "'");
        }
        if (name.substring(name.lastIndexOf('.') + 1).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("domain indicator looks like an IP address: '" + clip(raw) + "'");
        }
        return name;
    }

    /**
     * A domain name in canonical form: lower case, punycode (IDNA), without the root's trailing dot; empty when it is
     * not a syntactically valid name (RFC 1035 section 2.3.4 lengths; underscores allowed as DNS allows them).
     */
    static Optional<String> domainName(String raw) {
        String text = raw.strip();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty() || text.length() > 4 * MAX_DOMAIN) {
            return Optional.empty();
        }
        String ascii;
        try {
            ascii = IDN.toASCII(text, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ascii.isEmpty() || ascii.length() > MAX_DOMAIN) {
            return Optional.empty();
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return Optional.empty();
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(ascii);
    }

    private static String ipIndicator(String raw) {
        IpNetwork network = IpNetwork.parse(raw);
        int min = network.v6() ? IpNetwork.MIN_PREFIX_V6 : IpNetwork.MIN_PREFIX_V4;
        if (network.prefix() < min) {
            throw new IllegalArgumentException(
                    "network too broad for an indicator (shorter than /" + min + "): '" + clip(raw) + "'");
        }
        return network.toString();
    }

    /**
     * A URL in canonical form: scheme and host in lower case, IDN host in punycode, default port removed, an empty path
     * written {@code /}, the fragment dropped (it never reaches a server). A feed URL without a scheme is read as
     * {@code http://}. Path and query keep their case: servers may treat them case-sensitively.
     */
    static String url(String raw) {
        return ParsedUrl.parse(raw).toString();
    }

    /** A URL split into the parts matching needs. */
    record ParsedUrl(String scheme, String userInfo, String host, int port, String rest) {

        static ParsedUrl parse(String raw) {
            String text = raw.strip();
            if (text.isEmpty() || text.length() > MAX_URL) {
                throw new IllegalArgumentException("not a URL: '" + clip(raw) + "'");
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c <= ' ' || c == 0x7F) {
                    throw new IllegalArgumentException(
                            "URL contains whitespace or a control character: '" + clip(raw) + "'");
                }
            }
            int separator = text.indexOf("://");
            String scheme = "http";
            if (separator > 0 && text.substring(0, separator).matches("[A-Za-z][A-Za-z0-9+.-]{0,31}")) {
                scheme = text.substring(0, separator).toLowerCase(Locale.ROOT);
                text = text.substring(separator + 3);
            } else if (separator >= 0 && text.substring(0, separator).matches("[^/?#]*")) {
                throw new IllegalArgumentException("URL has a malformed scheme: '" + clip(raw) + "'");
            }
            int end = text.length();
            for (char stop : new char[] {'/', '?', '#'}) {
                int at = text.indexOf(stop);
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
            String authority = text.substring(0, end);
            String rest = text.substring(end);
            int fragment = rest.indexOf('#');
            if (fragment >= 0) {
                rest = rest.substring(0, fragment);
            }
            if (rest.isEmpty() || rest.charAt(0) == '?') {
                rest = "/" + rest;
            }
            int at = authority.lastIndexOf('@');
            String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
            String hostPort = authority.substring(at + 1);
            String hostText;
            String portText = "";
            if (hostPort.startsWith("[")) {
                int close = hostPort.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("URL has an unclosed IPv6 host: '" + clip(raw) + "'");
                }
                hostText = hostPort.substring(1, close);
                String after = hostPort.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw new IllegalArgumentException("URL has junk after its host: '" + clip(raw) + "'");
                    }
                    portText = after.substring(1);
                }
            } else {
                int colon = hostPort.lastIndexOf(':');
                hostText = colon < 0 ? hostPort : hostPort.substring(0, colon);
                portText = colon < 0 ? "" : hostPort.substring(colon + 1);
            }
            String host = canonicalHost(hostText, raw);
            int port = -1;
            if (!portText.isEmpty()) {
                if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) > 65535) {
                    throw new IllegalArgumentException("URL has a bad port: '" + clip(raw) + "'");
                }
                port = Integer.parseInt(portText);
                if (port == defaultPort(scheme)) {
                    port = -1;
                }
            }
            return new ParsedUrl(scheme, userInfo, host, port, rest);
        }

        private static String canonicalHost(String hostText, String raw) {
            if (hostText.isEmpty()) {
                throw new IllegalArgumentException("URL has no host: '" + clip(raw) + "'");
            }
            if (hostText.indexOf(':') >= 0 || hostText.matches("[0-9.]+")) {
                try {
                    return IpNetwork.parse(hostText).toString();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("URL has a bad IP host: '" + clip(raw) + "'");
                }
            }
            return domainName(hostText)
                    .orElseThrow(() -> new IllegalArgumentException("URL has a bad host name: '" + clip(raw) + "'"));
        }

        private static int defaultPort(String scheme) {
            return switch (scheme) {
                case "http", "ws" -> 80;
                case "https", "wss" -> 443;
                case "ftp" -> 21;
                default -> -2;
            };
        }

        boolean hostIsIp() {
            return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
        }

        @Override
        public String toString() {
            String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return scheme + "://" + userInfo + shownHost + (port < 0 ? "" : ":" + port) + rest;
        }
    }
}
