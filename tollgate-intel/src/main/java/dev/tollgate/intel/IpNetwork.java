package dev.tollgate.intel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/**
 * An IPv4 or IPv6 network: an address with a prefix length (32 or 128 for a single address), host bits cleared. IPv4
 * addresses sit in the low 32 bits of {@code lo}. Parsing never resolves names: only literals are accepted.
 */
record IpNetwork(boolean v6, long hi, long lo, int prefix) {

    /** The shortest prefixes accepted from feeds: a {@code /4} indicator would match a sixteenth of the internet. */
    static final int MIN_PREFIX_V4 = 8;

    static final int MIN_PREFIX_V6 = 16;

    IpNetwork {
        int bits = v6 ? 128 : 32;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length must be within 0.." + bits + ": " + prefix);
        }
        long[] masked = mask(v6, hi, lo, prefix);
        hi = masked[0];
        lo = masked[1];
    }

    int bits() {
        return v6 ? 128 : 32;
    }

    boolean isSingleAddress() {
        return prefix == bits();
    }

    /** This network's address with the host bits of a shorter {@code newPrefix} cleared. */
    IpNetwork truncate(int newPrefix) {
        return new IpNetwork(v6, hi, lo, newPrefix);
    }

    /**
     * Parses {@code 192.0.2.1}, {@code 192.0.2.0/24}, {@code 2001:db8::1} or {@code 2001:db8::/32}. IPv4-mapped IPv6
     * addresses are read as IPv4.
     */
    static IpNetwork parse(String raw) {
        String text = raw.strip();
        if (text.isEmpty() || text.length() > 64) {
            throw new IllegalArgumentException(
                    "not an IP address or CIDR network: '" + IndicatorValues.clip(raw) + "'");
        }
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        IpNetwork single = parseAddress(address, raw);
        if (slash < 0) {
            return single;
        }
        String prefixText = text.substring(slash + 1);
        if (!prefixText.matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("bad CIDR prefix length in '" + IndicatorValues.clip(raw) + "'");
        }
        int prefix = Integer.parseInt(prefixText);
        if (!single.v6 && address.contains(":")) {
            // an IPv4-mapped IPv6 network: its prefix counts the 96 mapping bits
            prefix -= 96;
        }
        if (prefix < 0 || prefix > single.bits()) {
            throw new IllegalArgumentException(
                    "CIDR prefix length out of range in '" + IndicatorValues.clip(raw) + "'");
        }
        return new IpNetwork(single.v6, single.hi, single.lo, prefix);
    }

    private static IpNetwork parseAddress(String address, String raw) {
        if (address.indexOf(':') < 0) {
            return new IpNetwork(false, 0, parseDottedQuad(address, raw), 32);
        }
        if (address.indexOf('%') >= 0 || !address.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP address: '" + IndicatorValues.clip(raw) + "'");
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv6 address: '" + IndicatorValues.clip(raw) + "'");
        }
        byte[] b = parsed.getAddress();
        if (parsed instanceof Inet4Address) {
            return new IpNetwork(false, 0, toLong(b, 0, 4), 32);
        }
        if (!(parsed instanceof Inet6Address)) {
            throw new IllegalArgumentException("not an IP address: '" + IndicatorValues.clip(raw) + "'");
        }
        return new IpNetwork(true, toLong(b, 0, 8), toLong(b, 8, 8), 128);
    }

    /** Strict dotted decimal: exactly four parts of 0..255 (no octal, hex or short forms, which resolvers disagree on). */
    private static long parseDottedQuad(String address, String raw) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + IndicatorValues.clip(raw) + "'");
        }
        long value = 0;
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + IndicatorValues.clip(raw) + "'");
            }
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    private static long toLong(byte[] b, int from, int count) {
        long value = 0;
        for (int i = from; i < from + count; i++) {
            value = (value << 8) | (b[i] & 0xFF);
        }
        return value;
    }

    private static long[] mask(boolean v6, long hi, long lo, int prefix) {
        if (!v6) {
            long m = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            return new long[] {0, lo & m};
        }
        long hiMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        return new long[] {hi & hiMask, lo & loMask};
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed); {@code /n} if a net. */
    @Override
    public String toString() {
        String address = v6 ? formatV6() : formatV4();
        return isSingleAddress() ? address : address + "/" + prefix;
    }

    private String formatV4() {
        return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
    }

    private String formatV6() {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            groups[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
