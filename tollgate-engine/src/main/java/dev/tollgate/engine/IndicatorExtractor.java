package dev.tollgate.engine;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import dev.tollgate.model.NetworkIndicators;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collects network indicators from the printable strings of one file: URLs ({@code http}, {@code https}, {@code ftp},
 * {@code ws}, {@code wss}), domain names and IPv4/IPv6 addresses.
 *
 * <p>The strings are printable ASCII, as {@link StringScanner} delivers them, and are read as bytes: a {@code String}
 * is made only of a string that holds {@code ://} (for its URLs), of a manifest header's name, of a candidate for an
 * IPv6 address, and of a dotted name that passes every check before the Public Suffix List's or is kept. Most strings
 * of a binary make none.
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

    // The suffix sets above as suffixKey gives them, sorted, to look a label up in bytes.
    private static final long[] EXTENSION_LIKE_KEYS = suffixKeys(EXTENSION_LIKE_SUFFIXES);
    private static final long[] WORD_LIKE_KEYS = suffixKeys(WORD_LIKE_COUNTRY_CODES);
    private static final long[] BARE_GENERIC_KEYS = suffixKeys(BARE_GENERIC_SUFFIXES);
    private static final byte[] BROADCAST = ascii("255.255.255.255");
    private static final byte[] CLOUDFLARE_RESOLVER = ascii("1.1.1.1");
    private static final byte[] CLOUDFLARE_SECONDARY = ascii("1.0.0.1");

    private final Set<String> urls = new TreeSet<>();
    private final Set<String> domains = new TreeSet<>();
    private final Set<String> ips = new TreeSet<>();
    private boolean truncated;
    // A manifest header line, header[0, headerLength), held until the next string shows whether it was folded.
    private byte[] header = new byte[128];
    private int headerLength;
    private boolean headerHoldsJavaNames;
    private int lastLineLength;
    // The dotted token being classified, in lower case, from index 0 (see classify). Both arrays grow as needed.
    private byte[] lowerToken = new byte[128];

    /** Looks for indicators in one string of printable ASCII (see {@link #accept(byte[], int, int)}). */
    void accept(String s) {
        byte[] text = s.getBytes(StandardCharsets.ISO_8859_1);
        accept(text, 0, text.length);
    }

    /**
     * Looks for indicators in one string of printable ASCII, {@code text[offset, offset + length)}, one character per
     * byte, as {@link StringScanner} delivers it. The bytes are not kept: what is held is copied.
     */
    void accept(byte[] text, int offset, int length) {
        if (headerLength > 0
                && isManifestContinuation(text, offset, length)
                && lastLineLength >= MIN_FOLDED_WIDTH
                && headerLength + length <= MAX_UNFOLDED) {
            hold(text, offset + 1, length - 1); // the manifest specification's unfolding: drop the one space, join
            lastLineLength = length;
            return;
        }
        boolean continuesJavaNames = headerHoldsJavaNames && isManifestContinuation(text, offset, length);
        flushHeader();
        int colon = manifestHeaderNameEnd(text, offset, length);
        if (colon > 0 || continuesJavaNames) {
            // Held until the next string shows whether the line was folded.
            hold(text, offset, length);
            headerHoldsJavaNames = continuesJavaNames || holdsJavaNames(string(text, offset, colon));
            lastLineLength = length;
            return;
        }
        headerHoldsJavaNames = false; // a string that is no manifest line ends what a later one can continue
        scan(text, offset, length, false);
    }

    boolean truncated() {
        flushHeader();
        return truncated;
    }

    NetworkIndicators indicators() {
        flushHeader();
        return new NetworkIndicators(new ArrayList<>(urls), new ArrayList<>(domains), new ArrayList<>(ips));
    }

    private void scan(byte[] text, int offset, int length, boolean javaNames) {
        int end = offset + length;
        boolean dot = false;
        boolean colon = false;
        boolean url = false;
        for (int i = offset; i < end; i++) {
            if (text[i] == '.') {
                dot = true;
            } else if (text[i] == ':') {
                colon = true;
                url |= i + 2 < end && text[i + 1] == '/' && text[i + 2] == '/';
            }
        }
        if (!dot && !colon) {
            return; // every indicator has a dot or a colon: skip the bulk of strings cheaply
        }
        if (url) {
            findUrls(string(text, offset, length));
        }
        if (!javaNames) {
            findDottedNames(text, offset, end);
        }
        if (colon) {
            findIpv6(text, offset, end);
        }
    }

    /** Appends {@code text[offset, offset + length)} to the header line held. */
    private void hold(byte[] text, int offset, int length) {
        if (headerLength + length > header.length) {
            header = Arrays.copyOf(header, Math.max(2 * header.length, headerLength + length));
        }
        System.arraycopy(text, offset, header, headerLength, length);
        headerLength += length;
    }

    private void flushHeader() {
        if (headerLength == 0) {
            return;
        }
        int length = headerLength;
        headerLength = 0;
        scan(header, 0, length, headerHoldsJavaNames);
    }

    /**
     * The end of a JAR manifest header's name in {@code text[offset, offset + length)} ({@code Name: value}; JAR File
     * Specification, "Manifest Specification": an alphanumeric, then up to 69 alphanumerics, {@code -} or {@code _},
     * then a colon and one space), counted from {@code offset}, or -1.
     */
    static int manifestHeaderNameEnd(byte[] text, int offset, int length) {
        int n = Math.min(length, 71);
        if (n == 0 || !isAsciiAlphanumeric(text[offset])) {
            return -1;
        }
        for (int i = 1; i < n; i++) {
            byte c = text[offset + i];
            if (c == ':') {
                return i + 1 < length && text[offset + i + 1] == ' ' ? i : -1;
            }
            if (!isAsciiAlphanumeric(c) && c != '-' && c != '_') {
                return -1;
            }
        }
        return -1;
    }

    /** A manifest continuation line: exactly one space, then the rest of the folded value. */
    private static boolean isManifestContinuation(byte[] text, int offset, int length) {
        return length > 1 && text[offset] == ' ' && text[offset + 1] != ' ';
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
        byte[] bytes = host.getBytes(StandardCharsets.ISO_8859_1);
        return derTagAfterHost(bytes, 0, bytes.length);
    }

    /** {@link #derTagAfterHost(String)} of the host {@code host[offset, offset + length)}. */
    private static int derTagAfterHost(byte[] host, int offset, int length) {
        int end = offset + length;
        int lastDot = lastIndexOf(host, offset, end, '.');
        if (lastDot < offset) {
            return 0;
        }
        int tagAt = lastDot + 1;
        while (tagAt < end && isAsciiLetter(host[tagAt])) {
            tagAt++;
        }
        int tail = end - tagAt;
        if (tagAt - lastDot < 3 || tail < 1 || tail > 2 || !isDerSequenceOrSetTag(host[tagAt])) {
            return 0;
        }
        if (!isHostUnderPublicSuffix(host, offset, tagAt - offset)) {
            return 0;
        }
        return isHostUnderPublicSuffix(host, offset, length) ? 0 : tail;
    }

    /** Whether {@code host[offset, offset + length)} is a host name ({@link #isHostname}) under a public suffix. */
    private static boolean isHostUnderPublicSuffix(byte[] host, int offset, int length) {
        if (!isHostnameSyntax(host, offset, length)) {
            return false;
        }
        String name = string(host, offset, length);
        return InternetDomainName.isValid(name) && InternetDomainName.from(name).isUnderPublicSuffix();
    }

    private static boolean isDerSequenceOrSetTag(int c) {
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

    /**
     * Tokens of letters, digits, dots and hyphens in {@code text[from, to)}: candidates for bare domains and IPv4
     * addresses.
     */
    private void findDottedNames(byte[] text, int from, int to) {
        int i = from;
        while (i < to) {
            while (i < to && !isNameChar(text[i])) {
                i++;
            }
            int start = i;
            int dots = 0;
            byte c;
            while (i < to && isNameChar(c = text[i])) {
                if (c == '.') {
                    dots++;
                }
                i++;
            }
            if (dots == 0 || i - start < 4 || gluedToWord(text, from, to, start, i)) {
                continue;
            }
            int tokenStart = start;
            int tokenEnd = i;
            while (tokenStart < tokenEnd && (text[tokenStart] == '.' || text[tokenStart] == '-')) {
                tokenStart++;
            }
            while (tokenEnd > tokenStart && (text[tokenEnd - 1] == '.' || text[tokenEnd - 1] == '-')) {
                tokenEnd--;
            }
            if (tokenEnd - tokenStart >= 4) {
                classify(text, tokenStart, tokenEnd - tokenStart, tokenStart > from && text[tokenStart - 1] == '@');
            }
        }
    }

    /**
     * A name {@code text[start, end)} glued to {@code _} or {@code \} in {@code text[from, to)} is part of an
     * identifier or a Windows path, not a host.
     */
    private static boolean gluedToWord(byte[] text, int from, int to, int start, int end) {
        return (start > from && (text[start - 1] == '_' || text[start - 1] == '\\')) || (end < to && text[end] == '_');
    }

    /**
     * Classifies the dotted token {@code text[offset, offset + length)}; {@code mailHost} when it follows {@code @}, as
     * the host of a mail address does.
     */
    private void classify(byte[] text, int offset, int length, boolean mailHost) {
        if (isIpv4(text, offset, length)) {
            int end = offset + length;
            if (!(text[end - 2] == '.' && text[end - 1] == '0')
                    && !(text[offset] == '0' && text[offset + 1] == '.')
                    && !equalsAscii(text, offset, length, BROADCAST)
                    && !looksLikeOid(text, offset, length)) {
                add(ips, string(text, offset, length));
            }
            return;
        }
        byte[] lower = lowerCase(text, offset, length);
        // A DER dNSName loses the next element's tag glued to it: the token is text[offset, offset + n) from here on,
        // lower[0, n) in lower case.
        int n = length - derTagAfterHost(lower, 0, length);
        int lastDot = lastIndexOf(text, offset, offset + n, '.') - offset;
        int top = offset + lastDot + 1;
        int topLength = n - lastDot - 1;
        if (topLength < 2 || !isLetters(text, top, topLength) && !startsWithPunycode(text, top, topLength)) {
            return; // every public suffix's last label is letters (or punycode)
        }
        if (hasUpperCase(text, top, topLength) && hasLowerCase(text, offset, n)) {
            return; // System.IO, System.Net: namespaces written in PascalCase
        }
        if (hasCamelCase(text, offset, n)) {
            return; // basePosition.top, event.targetId: identifiers, not hosts
        }
        if (!isBareDomainSuffix(lower, lastDot + 1, topLength) || !isHostnameSyntax(lower, 0, n)) {
            return;
        }
        String host = string(lower, 0, n);
        if (!InternetDomainName.isValid(host)) {
            return;
        }
        InternetDomainName name = InternetDomainName.from(host);
        if (name.parts().size() > MAX_BARE_LABELS
                || REVERSE_DNS_HEADS.contains(name.parts().getFirst())) {
            return; // com.sun.org.apache...: a package name, not a host
        }
        if (!mailHost && name.parts().size() == 2 && n - lastDot == 3 && n < MIN_SHORT_NAME) {
            return; // ar.bg, siy.sy: chance, see MIN_SHORT_NAME
        }
        if (name.isUnderPublicSuffix()
                && name.topPrivateDomain().parts().getFirst().length() >= 2) {
            add(domains, name.toString());
        }
    }

    /** {@code text[offset, offset + length)} in lower case, in {@link #lowerToken} from index 0. */
    private byte[] lowerCase(byte[] text, int offset, int length) {
        if (lowerToken.length < length) {
            lowerToken = new byte[Math.max(length, 2 * lowerToken.length)];
        }
        for (int i = 0; i < length; i++) {
            byte c = text[offset + i];
            lowerToken[i] = c >= 'A' && c <= 'Z' ? (byte) (c + ('a' - 'A')) : c;
        }
        return lowerToken;
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

    private static boolean hasCamelCase(byte[] text, int offset, int length) {
        for (int i = offset + 1; i < offset + length; i++) {
            byte c = text[i];
            byte before = text[i - 1];
            if (c >= 'A' && c <= 'Z' && before >= 'a' && before <= 'z') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a bare name ending in the label {@code tld[offset, offset + length)} (lower case) may be a domain: a
     * two-letter country code that is not extension-like, or one of {@link #BARE_GENERIC_SUFFIXES}.
     */
    static boolean isBareDomainSuffix(byte[] tld, int offset, int length) {
        long key = suffixKey(tld, offset, length);
        if (Arrays.binarySearch(EXTENSION_LIKE_KEYS, key) >= 0) {
            return false;
        }
        if (length == 2) {
            return Arrays.binarySearch(WORD_LIKE_KEYS, key) < 0;
        }
        return Arrays.binarySearch(BARE_GENERIC_KEYS, key) >= 0 || startsWithPunycode(tld, offset, length);
    }

    /**
     * The label {@code text[offset, offset + length)} packed into a long, one byte per character, when it is at most
     * eight lower-case letters, as every label of the suffix sets is; -1 otherwise, which is none of their keys.
     */
    private static long suffixKey(byte[] text, int offset, int length) {
        if (length > Long.BYTES) {
            return -1;
        }
        long key = 0;
        for (int i = offset; i < offset + length; i++) {
            byte c = text[i];
            if (c < 'a' || c > 'z') {
                return -1;
            }
            key = key << 8 | c;
        }
        return key;
    }

    private static long[] suffixKeys(Set<String> labels) {
        return labels.stream()
                .mapToLong(label -> {
                    long key = suffixKey(ascii(label), 0, label.length());
                    if (key < 0) {
                        throw new IllegalArgumentException("not up to eight lower-case letters: " + label);
                    }
                    return key;
                })
                .sorted()
                .toArray();
    }

    private static boolean startsWithPunycode(byte[] label, int offset, int length) {
        return length >= 4
                && label[offset] == 'x'
                && label[offset + 1] == 'n'
                && label[offset + 2] == '-'
                && label[offset + 3] == '-';
    }

    /** IPv6 candidates in {@code text[from, to)}: tokens of hex digits, colons and dots. */
    private void findIpv6(byte[] text, int from, int to) {
        int i = from;
        while (i < to) {
            while (i < to && !isIpv6Char(text[i])) {
                i++;
            }
            int start = i;
            while (i < to && isIpv6Char(text[i])) {
                i++;
            }
            boolean glued = (start > from && isNameChar(text[start - 1])) || (i < to && isNameChar(text[i]));
            if (glued || hexGroups(text, start, i) < 3) {
                continue;
            }
            String token = string(text, start, i - start);
            if (InetAddresses.isInetAddress(token)) {
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
     * 40 is taken as one, except the well-known resolvers {@code 1.1.1.1} and {@code 1.0.0.1}. The quad, which
     * {@link #isIpv4} accepts, is {@code text[offset, offset + length)}.
     */
    static boolean looksLikeOid(byte[] text, int offset, int length) {
        if (equalsAscii(text, offset, length, CLOUDFLARE_RESOLVER)
                || equalsAscii(text, offset, length, CLOUDFLARE_SECONDARY)) {
            return false;
        }
        int firstDot = offset + 1;
        while (text[firstDot] != '.') {
            firstDot++;
        }
        int second = 0;
        for (int i = firstDot + 1; text[i] != '.'; i++) {
            second = second * 10 + (text[i] - '0');
        }
        return firstDot == offset + 1 && (text[offset] == '1' || text[offset] == '2') && second < 40;
    }

    /**
     * A syntactically valid lower-case host name (RFC 1123 section 2.1): labels of letters, digits and inner hyphens,
     * 1 to 63 characters, 253 in all, the last one starting with a letter. Checked before Guava, whose validation
     * reports failure by throwing, which is slow on hostile strings full of near-names.
     */
    static boolean isHostname(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        return isHostnameSyntax(bytes, 0, bytes.length) && InternetDomainName.isValid(s);
    }

    /** The checks of {@link #isHostname} but Guava's, on {@code s[offset, offset + length)}. */
    private static boolean isHostnameSyntax(byte[] s, int offset, int length) {
        if (length == 0 || length > 253) {
            return false;
        }
        int end = offset + length;
        int labelStart = offset;
        int topFirst = 0;
        for (int i = offset; i <= end; i++) {
            int c = i < end ? s[i] : '.';
            if (c == '.') {
                int labelLength = i - labelStart;
                if (labelLength == 0 || labelLength > 63 || s[labelStart] == '-' || s[i - 1] == '-') {
                    return false;
                }
                topFirst = s[labelStart];
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return topFirst >= 'a' && topFirst <= 'z';
    }

    /** Four decimal octets 0-255 without leading zeros. */
    static boolean isIpv4(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        return isIpv4(bytes, 0, bytes.length);
    }

    /** {@link #isIpv4(String)} of {@code s[offset, offset + length)}. */
    private static boolean isIpv4(byte[] s, int offset, int length) {
        int octets = 0;
        int i = offset;
        int n = offset + length;
        while (i <= n) {
            int start = i;
            int value = 0;
            while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3) {
                value = value * 10 + (s[i] - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s[start] == '0')) {
                return false;
            }
            octets++;
            if (i == n) {
                return octets == 4;
            }
            if (s[i] != '.' || octets == 4) {
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

    /**
     * Non-empty colon-separated groups in {@code s[from, to)}: {@code 2001:db8::1} has 3; {@code 9::b} (from a C++
     * symbol) has 2.
     */
    private static int hexGroups(byte[] s, int from, int to) {
        int groups = 0;
        boolean inGroup = false;
        for (int i = from; i < to; i++) {
            boolean colon = s[i] == ':';
            if (!colon && !inGroup) {
                groups++;
            }
            inGroup = !colon;
        }
        return groups;
    }

    /** The index of the last {@code b} in {@code text[from, to)}, or {@code from - 1} when there is none. */
    private static int lastIndexOf(byte[] text, int from, int to, char b) {
        int i = to - 1;
        while (i >= from && text[i] != b) {
            i--;
        }
        return i;
    }

    private static boolean equalsAscii(byte[] text, int offset, int length, byte[] word) {
        if (length != word.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (text[offset + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetters(byte[] text, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (!isAsciiLetter(text[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasUpperCase(byte[] text, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (text[i] >= 'A' && text[i] <= 'Z') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLowerCase(byte[] text, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (text[i] >= 'a' && text[i] <= 'z') {
                return true;
            }
        }
        return false;
    }

    /** {@code text[offset, offset + length)} as a string, one character per byte. */
    private static String string(byte[] text, int offset, int length) {
        return new String(text, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isAsciiLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    // The classes of the bytes that the tokenizers test most, as tables: a table lookup is a few bytecodes where a
    // chain of comparisons is dozens, and the JIT compiler inlines the lookups into every loop that uses them.
    private static final boolean[] ALPHANUMERIC = new boolean[256];
    private static final boolean[] NAME_CHAR = new boolean[256];
    private static final boolean[] IPV6_CHAR = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            boolean digit = c >= '0' && c <= '9';
            ALPHANUMERIC[c] = isAsciiLetter(c) || digit;
            NAME_CHAR[c] = ALPHANUMERIC[c] || c == '.' || c == '-';
            IPV6_CHAR[c] = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
        }
    }

    private static boolean isAsciiAlphanumeric(byte c) {
        return ALPHANUMERIC[c & 0xff];
    }

    /** Letters, digits, {@code .} and {@code -}: the characters of host names and dotted tokens. */
    private static boolean isNameChar(byte c) {
        return NAME_CHAR[c & 0xff];
    }

    private static boolean isIpv6Char(byte c) {
        return IPV6_CHAR[c & 0xff];
    }

    /** Characters of a URL as found in binaries: printable ASCII but space, quotes, angle brackets and backtick. */
    private static boolean isUrlChar(char c) {
        return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' && c != '`' && c != '{' && c != '}'
                && c != '|' && c != '^';
    }
}
