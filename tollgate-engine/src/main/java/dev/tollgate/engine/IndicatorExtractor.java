package dev.tollgate.engine;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import dev.tollgate.model.NetworkIndicators;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collects network indicators from the printable strings of one file: URLs ({@code http}, {@code https}, {@code ftp},
 * {@code ws}, {@code wss}), domain names and IPv4/IPv6 addresses.
 *
 * <p>Binaries are full of dotted names that are not domains ({@code ffmpeg.dll}, {@code System.IO},
 * {@code e.target.id}, {@code com.sun.net}, {@code 10.0.19041.1}), so the rules lean towards precision:
 *
 * <ul>
 *   <li>A URL's host is a domain when it has a registrable name under a public suffix of the Public Suffix List
 *       (Guava's {@link InternetDomainName}); the URL itself is kept when its host is a valid name or an address.
 *   <li>A bare domain (not inside a URL) must also end in a suffix a host plausibly uses: a two-letter country code
 *       that is neither extension-like ({@link #EXTENSION_LIKE_SUFFIXES}: {@code setup.zip}, {@code libfoo.so},
 *       {@code README.md}) nor word-like ({@link #WORD_LIKE_COUNTRY_CODES}: {@code value.is}, {@code elem.id}), or
 *       one of {@link #BARE_GENERIC_SUFFIXES}. It is refused when written in PascalCase or camelCase
 *       ({@code System.Net}, {@code basePosition.top}), when it has more than {@link #MAX_BARE_LABELS} labels or
 *       starts like a reverse-DNS package name ({@code com.}, {@code org.}, {@code java.}), when its registrable
 *       label is a single character ({@code e.my}), or when it is glued to {@code _} or {@code \}. A name of two
 *       labels under a country code shorter than {@link #MIN_SHORT_NAME} ({@code ar.bg}) is chance, unless it
 *       follows {@code @}.
 *   <li>JAR manifest lines folded at 72 bytes are unfolded before extraction, and the values of headers made of Java
 *       names ({@code Export-Package}, {@code Name}; {@link #holdsJavaNames}) give URLs only.
 *   <li>A DER string has no terminator: the next element's tag ({@code 0}, {@code 1}) glued to a host
 *       ({@code ocsp.digicert.com0}) is cut ({@link #derTagAfterHost}), and so is what follows a URL beyond the DER
 *       length written before it ({@link #derLengthEnd}).
 *   <li>An IPv4 address is exactly four dotted decimal octets (0-255, no leading zeros) standing alone: a longer
 *       dotted number such as the version {@code 10.0.19041.1} or {@code 1.2.3.4.5} is not an address, nor is one
 *       glued to letters ({@code v1.2.3.4}). Skipped too: quads ending in {@code .0} ({@code 1.0.0.0} is the
 *       ubiquitous .NET assembly version), {@code 0.x.x.x}, {@code 255.255.255.255}, and object identifiers
 *       ({@link #looksLikeOid}).
 *   <li>An IPv6 address is what {@link InetAddresses} accepts, with at least three hex groups, not glued to letters.
 * </ul>
 *
 * At most {@link #MAX_INDICATORS} distinct indicators are kept per file; {@link #truncated()} tells when more were seen.
 * A manifest header line is held until the next string (or {@link #indicators()}) shows whether it was folded. Not
 * thread-safe: one extractor per file.
 */
final class IndicatorExtractor {

    /** Bound on the distinct URLs, domains and IPs kept for one file, so a hostile file cannot exhaust memory. */
    static final int MAX_INDICATORS = 10_000;

    /**
     * Top-level domains that collide with file extensions seen in software packages. Refused for bare domains only; a
     * URL's host under them ({@code https://example.zip/}) is still a domain.
     */
    static final Set<String> EXTENSION_LIKE_SUFFIXES = Set.of(
            "ac",
            "ai",
            "am",
            "app",
            "ax",
            "bar",
            "bz",
            "cab",
            "cat",
            "cc",
            "cx",
            "dev",
            "download",
            "gl",
            "in",
            "inc",
            "info",
            "md",
            "mk",
            "ml",
            "mo",
            "mov",
            "new",
            "pl",
            "pm",
            "ps",
            "py",
            "rs",
            "run",
            "sc",
            "sh",
            "so",
            "ws",
            "zip");

    /**
     * Country-code TLDs that are also English words or common identifiers ({@code e.target.id}, {@code value.is},
     * {@code data.at}, {@code keystore.no}); refused for bare names, accepted in URLs.
     */
    static final Set<String> WORD_LIKE_COUNTRY_CODES = Set.of(
            "as", "at", "be", "by", "do", "go", "id", "is", "it", "me", "my", "no", "to", "us", "hm", "ms", "pf", "cr",
            "mn", "gi", "af", "cm", "ro", "tv", "fm", "im", "nu", "st", "ie", "ne", "re", "tk", "la", "ly", "lt", "gt",
            "eq", "ge", "le", "ss");

    /**
     * The generic top-level domains accepted for bare names. The Public Suffix List holds over a thousand generic
     * TLDs, many of them words that end identifiers and file names in binaries ({@code .java}, {@code .name},
     * {@code .security}, {@code .properties}, {@code .build}); a bare name must end in one of these instead: the
     * original generic TLDs and the newer ones most seen in malicious infrastructure. Country codes (two letters) are
     * accepted unless extension-like. A URL's host is not restricted this way.
     */
    static final Set<String> BARE_GENERIC_SUFFIXES = Set.of(
            "com", "net", "org", "edu", "gov", "mil", "biz", "pro", "xyz", "online", "site", "club", "shop", "store",
            "tech", "website", "cloud", "buzz", "vip", "win", "bid", "loan", "asia", "mobi", "tel", "aero", "coop",
            "museum", "jobs", "travel", "onion");

    /** Longer URLs are cut: enough for any real address, bounded for hostile strings. */
    static final int MAX_URL_LENGTH = 2048;

    private static final Set<String> SCHEMES = Set.of("http", "https", "ftp", "ws", "wss");

    /**
     * A writer of JAR manifests folds a header line at 72 bytes (bnd at 70), so a line shorter than this was not
     * folded and a line starting with one space after it is not its continuation.
     */
    static final int MIN_FOLDED_WIDTH = 60;

    /** Longest unfolded manifest header kept whole (bcprov's Export-Package is about 100 KB). */
    static final int MAX_UNFOLDED = 1 << 20;

    /** Endings of manifest header names whose values are Java or OSGi names (see {@link #holdsJavaNames}). */
    private static final Set<String> JAVA_NAME_HEADER_SUFFIXES = Set.of(
            "-package",
            "-capability",
            "-class",
            "-bundle",
            "-symbolicname",
            "-module-name",
            "fragment-host",
            "-activator",
            "add-opens",
            "add-exports");

    private final Set<String> urls = new TreeSet<>();
    private final Set<String> domains = new TreeSet<>();
    private final Set<String> ips = new TreeSet<>();
    private boolean truncated;
    // A manifest header line held until the next string shows whether it was folded (see accept).
    private final StringBuilder header = new StringBuilder();
    private boolean headerHoldsJavaNames;
    private int lastLineLength;

    /** Looks for indicators in one string. */
    void accept(String s) {
        if (!header.isEmpty()
                && isManifestContinuation(s)
                && lastLineLength >= MIN_FOLDED_WIDTH
                && header.length() + s.length() <= MAX_UNFOLDED) {
            header.append(s, 1, s.length()); // the manifest specification's unfolding: drop the one space, join
            lastLineLength = s.length();
            return;
        }
        boolean continuesJavaNames = headerHoldsJavaNames && isManifestContinuation(s);
        flushHeader();
        int colon = manifestHeaderNameEnd(s);
        if (colon > 0 || continuesJavaNames) {
            // Held until the next string shows whether the line was folded.
            header.append(s);
            headerHoldsJavaNames = continuesJavaNames || holdsJavaNames(s.substring(0, colon));
            lastLineLength = s.length();
            return;
        }
        scan(s, false);
    }

    boolean truncated() {
        flushHeader();
        return truncated;
    }

    NetworkIndicators indicators() {
        flushHeader();
        return new NetworkIndicators(new ArrayList<>(urls), new ArrayList<>(domains), new ArrayList<>(ips));
    }

    private void scan(String s, boolean javaNames) {
        if (s.indexOf('.') < 0 && s.indexOf(':') < 0) {
            return; // every indicator has a dot or a colon: skip the bulk of strings cheaply
        }
        findUrls(s);
        if (!javaNames) {
            findDottedNames(s);
        }
        if (s.indexOf(':') >= 0) {
            findIpv6(s);
        }
    }

    private void flushHeader() {
        if (header.isEmpty()) {
            return;
        }
        String line = header.toString();
        header.setLength(0);
        scan(line, headerHoldsJavaNames);
    }

    /**
     * The end of a JAR manifest header's name ({@code Name: value}; JAR File Specification, "Manifest Specification":
     * an alphanumeric, then up to 69 alphanumerics, {@code -} or {@code _}, then a colon and one space), or -1.
     */
    static int manifestHeaderNameEnd(String s) {
        int n = Math.min(s.length(), 71);
        if (n == 0 || !isAsciiAlphanumeric(s.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return i + 1 < s.length() && s.charAt(i + 1) == ' ' ? i : -1;
            }
            if (!isAsciiAlphanumeric(c) && c != '-' && c != '_') {
                return -1;
            }
        }
        return -1;
    }

    /** A manifest continuation line: exactly one space, then the rest of the folded value. */
    private static boolean isManifestContinuation(String s) {
        return s.length() > 1 && s.charAt(0) == ' ' && s.charAt(1) != ' ';
    }

    /**
     * Whether a manifest header's value is made of Java or OSGi names by definition: entry paths ({@code Name}),
     * package lists ({@code Export-Package}, {@code Import-Package}), capabilities ({@code osgi.ee}), class names,
     * bundle and module names. Such names ({@code org.bouncycastle.math.ec}, {@code osgi.ee}) look like hosts; URLs
     * in these values are still found.
     */
    static boolean holdsJavaNames(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        if (name.equals("name")) {
            return true;
        }
        for (String suffix : JAVA_NAME_HEADER_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private void findUrls(String s) {
        int from = 0;
        int mark;
        // Both ends move forward only, so a string of many "://" marks is still scanned in linear time.
        int runEnd = -1; // end of the run of URL characters that contains 'from'
        int delimiter = -1; // first '/', '?', '#' or '\' at or after 'from'
        while ((mark = s.indexOf("://", from)) >= 0) {
            from = mark + 3;
            int lettersStart = mark;
            while (lettersStart > 0 && mark - lettersStart < 7 && isAsciiLetter(s.charAt(lettersStart - 1))) {
                lettersStart--;
            }
            if (runEnd < from) {
                runEnd = from;
                while (runEnd < s.length() && isUrlChar(s.charAt(runEnd))) {
                    runEnd++;
                }
            }
            int end = Math.min(runEnd, mark + MAX_URL_LENGTH);
            String letters = s.substring(lettersStart, mark).toLowerCase(Locale.ROOT);
            int schemeStart;
            if (SCHEMES.contains(letters)) {
                schemeStart = lettersStart;
            } else if (letters.length() > 1
                    && SCHEMES.contains(letters.substring(1))
                    && derLengthEnd(s, lettersStart + 1, end) > 0) {
                schemeStart = lettersStart + 1; // "Qhttp://": a DER length (81) that happens to be a letter
            } else {
                continue; // not a scheme we know, or a longer one such as "xhttps"
            }
            String scheme = letters.substring(schemeStart - lettersStart);
            int derEnd = derLengthEnd(s, schemeStart, end);
            if (derEnd > from) {
                end = derEnd;
            }
            while (end > from && ".,;:!?)]}'".indexOf(s.charAt(end - 1)) >= 0) {
                end--; // punctuation that ends the sentence around a URL
            }
            if (delimiter < from) {
                delimiter = from;
                while (delimiter < s.length() && "/?#\\".indexOf(s.charAt(delimiter)) < 0) {
                    delimiter++;
                }
            }
            String authority = s.substring(from, Math.min(end, delimiter));
            String host = host(authority);
            if (host.isEmpty()) {
                continue;
            }
            int tag = delimiter >= end && host.length() == authority.length() ? derTagAfterHost(host) : 0;
            if (tag > 0) {
                host = host.substring(0, host.length() - tag); // ocsp.digicert.com0: the next DER element's tag
                end -= tag;
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                String literal = host.substring(1, host.length() - 1);
                if (!InetAddresses.isInetAddress(literal)) {
                    continue;
                }
                add(ips, InetAddresses.toAddrString(InetAddresses.forString(literal)));
            } else if (isIpv4(host)) {
                add(ips, host);
            } else if (isHostname(host)) {
                InternetDomainName name = InternetDomainName.from(host);
                if (name.isUnderPublicSuffix()) {
                    add(domains, name.toString());
                }
            } else {
                continue;
            }
            add(urls, scheme + s.substring(mark, end));
            from = Math.max(from, end);
        }
    }

    /**
     * DER strings in certificates and signatures (an X.509 URI, an OCSP or CA Issuers address) carry no terminator: the
     * printable bytes after them belong to the next element, whose tag is {@code 0} (SEQUENCE, 0x30) or {@code 1} (SET,
     * 0x31). When the byte just before the scheme is a DER short-form length ({@code Q} = 81 before an 81-character
     * URL) and the run holds that many characters followed by such a tag, the URL ends there: returns that end, or -1.
     * The length must be the string's first character: a DER string's tag (0x16, 0x86) is never printable, so the run
     * starts at the length, while text such as {@code xmlns="http://...SMI/2005"} only happens to fit (34 is a quote).
     */
    static int derLengthEnd(String s, int schemeStart, int end) {
        if (schemeStart != 1) {
            return -1;
        }
        int length = s.charAt(schemeStart - 1);
        int cut = schemeStart + length;
        return length >= 0x20 && length < 0x7f && cut < end && isDerSequenceOrSetTag(s.charAt(cut)) ? cut : -1;
    }

    /**
     * How many trailing characters of a URL's host are the next DER element's tag and length rather than the host: the
     * top-level label of a host is letters, so in {@code ocsp.digicert.com0} or {@code ocsp.digicert.com0a} the
     * {@code 0} (a SEQUENCE tag) and what follows it are not part of {@code com}. Returns 0 unless the host without them
     * is a valid name under a public suffix and the host with them is not.
     */
    static int derTagAfterHost(String host) {
        int lastDot = host.lastIndexOf('.');
        if (lastDot < 0) {
            return 0;
        }
        int tagAt = lastDot + 1;
        while (tagAt < host.length() && isAsciiLetter(host.charAt(tagAt))) {
            tagAt++;
        }
        int tail = host.length() - tagAt;
        if (tagAt - lastDot < 3 || tail < 1 || tail > 2 || !isDerSequenceOrSetTag(host.charAt(tagAt))) {
            return 0;
        }
        String name = host.substring(0, tagAt);
        if (!isHostname(name) || !InternetDomainName.from(name).isUnderPublicSuffix()) {
            return 0;
        }
        return isHostname(host) && InternetDomainName.from(host).isUnderPublicSuffix() ? 0 : tail;
    }

    private static boolean isDerSequenceOrSetTag(char c) {
        return c == '0' || c == '1';
    }

    /** The host of a URL's authority: without user info and port; an IPv6 literal keeps its brackets. */
    private static String host(String authority) {
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? "" : hostPort.substring(0, close + 1);
        }
        int colon = hostPort.indexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        return host.length() > 253 ? "" : host.toLowerCase(Locale.ROOT);
    }

    /** Tokens of letters, digits, dots and hyphens: candidates for bare domains and IPv4 addresses. */
    private void findDottedNames(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && !isNameChar(s.charAt(i))) {
                i++;
            }
            int start = i;
            int dots = 0;
            char c;
            while (i < n && isNameChar(c = s.charAt(i))) {
                if (c == '.') {
                    dots++;
                }
                i++;
            }
            if (dots == 0 || i - start < 4 || gluedToWord(s, start, i)) {
                continue;
            }
            int tokenStart = start;
            int tokenEnd = i;
            while (tokenStart < tokenEnd && (s.charAt(tokenStart) == '.' || s.charAt(tokenStart) == '-')) {
                tokenStart++;
            }
            while (tokenEnd > tokenStart && (s.charAt(tokenEnd - 1) == '.' || s.charAt(tokenEnd - 1) == '-')) {
                tokenEnd--;
            }
            if (tokenEnd - tokenStart >= 4) {
                classify(s.substring(tokenStart, tokenEnd), tokenStart > 0 && s.charAt(tokenStart - 1) == '@');
            }
        }
    }

    /** A name glued to {@code _} or {@code \} is part of an identifier or a Windows path, not a host. */
    private static boolean gluedToWord(String s, int start, int end) {
        return (start > 0 && (s.charAt(start - 1) == '_' || s.charAt(start - 1) == '\\'))
                || (end < s.length() && s.charAt(end) == '_');
    }

    /** Classifies a dotted token; {@code mailHost} when it follows {@code @}, as the host of a mail address does. */
    private void classify(String token, boolean mailHost) {
        if (isIpv4(token)) {
            if (!token.endsWith(".0")
                    && !token.startsWith("0.")
                    && !token.equals("255.255.255.255")
                    && !looksLikeOid(token)) {
                add(ips, token);
            }
            return;
        }
        int tag = derTagAfterHost(token.toLowerCase(Locale.ROOT));
        if (tag > 0) {
            token = token.substring(0, token.length() - tag); // a DER dNSName followed by the next element's tag
        }
        int lastDot = token.lastIndexOf('.');
        String top = token.substring(lastDot + 1);
        if (top.length() < 2 || !isLetters(top) && !top.startsWith("xn--")) {
            return; // every public suffix's last label is letters (or punycode)
        }
        if (!top.equals(top.toLowerCase(Locale.ROOT)) && !token.equals(token.toUpperCase(Locale.ROOT))) {
            return; // System.IO, System.Net: namespaces written in PascalCase
        }
        if (hasCamelCase(token)) {
            return; // basePosition.top, event.targetId: identifiers, not hosts
        }
        String lower = token.toLowerCase(Locale.ROOT);
        if (!isBareDomainSuffix(lower.substring(lastDot + 1)) || !isHostname(lower)) {
            return;
        }
        InternetDomainName name = InternetDomainName.from(lower);
        if (name.parts().size() > MAX_BARE_LABELS
                || REVERSE_DNS_HEADS.contains(name.parts().getFirst())) {
            return; // com.sun.org.apache...: a package name, not a host
        }
        if (!mailHost && name.parts().size() == 2 && lower.length() - lastDot == 3 && lower.length() < MIN_SHORT_NAME) {
            return; // ar.bg, siy.sy: chance, see MIN_SHORT_NAME
        }
        if (name.isUnderPublicSuffix()
                && name.topPrivateDomain().parts().getFirst().length() >= 2) {
            add(domains, name.toString());
        }
    }

    /**
     * Shortest bare name of two labels under a country code. Random bytes (compressed streams, tables, Go symbol names
     * such as {@code os.mu}) form short dotted tokens by chance, and about one letter pair in three is an accepted
     * country code, so {@code ar.bg}, {@code 5y.hk} and {@code siy.sy} turn up in any large binary. A longer name
     * is far less likely by chance; a short one is still found in a URL or a mail address ({@code user@web.de}).
     */
    static final int MIN_SHORT_NAME = 7;

    /** Bare names with more labels than this are property paths or package names, not hosts. */
    static final int MAX_BARE_LABELS = 5;

    /** First labels of reverse-DNS package names (Java, Android, .NET). */
    private static final Set<String> REVERSE_DNS_HEADS =
            Set.of("com", "org", "net", "java", "javax", "jdk", "sun", "android");

    private static boolean hasCamelCase(String token) {
        for (int i = 1; i < token.length(); i++) {
            char c = token.charAt(i);
            char before = token.charAt(i - 1);
            if (c >= 'A' && c <= 'Z' && before >= 'a' && before <= 'z') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a bare name ending in {@code tld} may be a domain: a two-letter country code that is not
     * extension-like, or one of {@link #BARE_GENERIC_SUFFIXES}.
     */
    static boolean isBareDomainSuffix(String tld) {
        if (EXTENSION_LIKE_SUFFIXES.contains(tld)) {
            return false;
        }
        if (tld.length() == 2) {
            return !WORD_LIKE_COUNTRY_CODES.contains(tld);
        }
        return BARE_GENERIC_SUFFIXES.contains(tld) || tld.startsWith("xn--");
    }

    private void findIpv6(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && !isIpv6Char(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && isIpv6Char(s.charAt(i))) {
                i++;
            }
            String token = s.substring(start, i);
            boolean glued = (start > 0 && isNameChar(s.charAt(start - 1))) || (i < n && isNameChar(s.charAt(i)));
            if (!glued && hexGroups(token) >= 3 && InetAddresses.isInetAddress(token)) {
                InetAddress address = InetAddresses.forString(token);
                if (!address.isAnyLocalAddress()) {
                    add(ips, InetAddresses.toAddrString(address));
                }
            }
        }
    }

    /**
     * Object identifiers (X.509, ASN.1) fill signed binaries: their first arc is 0, 1 or 2, and under 1 the second arc
     * is below 40 ({@code 1.3.6.1}, {@code 2.5.29.14}). A dotted quad starting {@code 1.N.} or {@code 2.N.} with N below
     * 40 is taken as one, except the well-known resolvers {@code 1.1.1.1} and {@code 1.0.0.1}.
     */
    static boolean looksLikeOid(String dottedQuad) {
        if (dottedQuad.equals("1.1.1.1") || dottedQuad.equals("1.0.0.1")) {
            return false;
        }
        int firstDot = dottedQuad.indexOf('.');
        int secondDot = dottedQuad.indexOf('.', firstDot + 1);
        String first = dottedQuad.substring(0, firstDot);
        int second = Integer.parseInt(dottedQuad.substring(firstDot + 1, secondDot));
        return (first.equals("1") || first.equals("2")) && second < 40;
    }

    /**
     * A syntactically valid lower-case host name (RFC 1123 section 2.1): labels of letters, digits and inner hyphens,
     * 1 to 63 characters, 253 in all, the last one starting with a letter. Checked before Guava, whose validation
     * reports failure by throwing, which is slow on hostile strings full of near-names.
     */
    static boolean isHostname(String s) {
        int n = s.length();
        if (n == 0 || n > 253) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? s.charAt(i) : '.';
            if (c == '.') {
                int length = i - labelStart;
                if (length == 0 || length > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        char topFirst = s.charAt(s.lastIndexOf('.') + 1);
        return topFirst >= 'a' && topFirst <= 'z' && InternetDomainName.isValid(s);
    }

    /** Four decimal octets 0-255 without leading zeros. */
    static boolean isIpv4(String s) {
        int octets = 0;
        int i = 0;
        int n = s.length();
        while (i <= n) {
            int start = i;
            int value = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            octets++;
            if (i == n) {
                return octets == 4;
            }
            if (s.charAt(i) != '.' || octets == 4) {
                return false;
            }
            i++;
        }
        return false;
    }

    private void add(Set<String> set, String value) {
        if (set.contains(value)) {
            return;
        }
        if (urls.size() + domains.size() + ips.size() >= MAX_INDICATORS) {
            truncated = true;
            return;
        }
        set.add(value);
    }

    /** Non-empty colon-separated groups: {@code 2001:db8::1} has 3; {@code 9::b} (from a C++ symbol) has 2. */
    private static int hexGroups(String s) {
        int groups = 0;
        boolean inGroup = false;
        for (int i = 0; i < s.length(); i++) {
            boolean colon = s.charAt(i) == ':';
            if (!colon && !inGroup) {
                groups++;
            }
            inGroup = !colon;
        }
        return groups;
    }

    private static boolean isLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isAsciiLetter(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9');
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNameChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }

    private static boolean isIpv6Char(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    }

    /** Characters of a URL as found in binaries: printable ASCII but space, quotes, angle brackets and backtick. */
    private static boolean isUrlChar(char c) {
        return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' && c != '`' && c != '{' && c != '}'
                && c != '|' && c != '^';
    }
}
