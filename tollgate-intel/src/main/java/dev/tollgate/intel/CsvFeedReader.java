package dev.tollgate.intel;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads line-oriented indicator lists: CSV {@code type,value[,description]} (RFC 4180 quoting within a line), or
 * tab-separated {@code type<TAB>value<TAB>note<TAB>source} as analysts keep them. Lines starting with {@code #} are
 * comments; a first line whose type column reads {@code type} is a header. A line whose type Tollgate does not match
 * (e-mail addresses, file names, mutexes) is counted as skipped; a line that is wrong is a problem, and the rest of the
 * feed loads. A file in which no line is an indicator is not a feed, and is refused as a whole.
 */
final class CsvFeedReader {

    private static final Map<String, IndicatorType> TYPES = Map.ofEntries(
            Map.entry("sha256", IndicatorType.SHA256),
            Map.entry("sha-256", IndicatorType.SHA256),
            Map.entry("sha1", IndicatorType.SHA1),
            Map.entry("sha-1", IndicatorType.SHA1),
            Map.entry("md5", IndicatorType.MD5),
            Map.entry("domain", IndicatorType.DOMAIN),
            Map.entry("domain-name", IndicatorType.DOMAIN),
            Map.entry("hostname", IndicatorType.DOMAIN),
            Map.entry("fqdn", IndicatorType.DOMAIN),
            Map.entry("url", IndicatorType.URL),
            Map.entry("ip", IndicatorType.IP),
            Map.entry("ipv4", IndicatorType.IP),
            Map.entry("ipv6", IndicatorType.IP),
            Map.entry("ip-dst", IndicatorType.IP),
            Map.entry("ip-src", IndicatorType.IP),
            Map.entry("cert-serial", IndicatorType.CERT_SERIAL),
            Map.entry("cert_serial", IndicatorType.CERT_SERIAL),
            Map.entry("cert_serial_hex", IndicatorType.CERT_SERIAL),
            Map.entry("x509-serial", IndicatorType.CERT_SERIAL),
            Map.entry("cert-sha256", IndicatorType.CERT_SHA256),
            Map.entry("cert_sha256", IndicatorType.CERT_SHA256),
            Map.entry("x509-fingerprint-sha256", IndicatorType.CERT_SHA256),
            Map.entry("cert-sha1", IndicatorType.CERT_SHA1),
            Map.entry("cert_sha1", IndicatorType.CERT_SHA1),
            Map.entry("x509-fingerprint-sha1", IndicatorType.CERT_SHA1));

    private CsvFeedReader() {}

    static void read(Reader reader, FeedContext context) throws IOException, IntelFeedException {
        BoundedLines lines = new BoundedLines(reader, context.limits().maxStringLength());
        Optional<String> firstProblem = Optional.empty();
        boolean sawData = false;
        long number = 0;
        String line;
        while ((line = lines.next()) != null) {
            number++;
            String position = Long.toString(number);
            if (line == BoundedLines.TOO_LONG) {
                context.countEntry(position);
                context.problem(position, "line longer than " + context.limits().maxStringLength() + " characters");
                firstProblem = firstProblem.or(() -> Optional.of(position + ": line too long"));
                continue;
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            context.countEntry(position);
            List<String> fields;
            try {
                fields = split(line);
            } catch (IllegalArgumentException e) {
                context.problem(position, e.getMessage());
                firstProblem = firstProblem.or(() -> Optional.of(position + ": " + e.getMessage()));
                continue;
            }
            String type = fields.getFirst().strip().toLowerCase(Locale.ROOT);
            if (!sawData && (type.equals("type") || type.equals("indicator_type"))) {
                sawData = true;
                continue;
            }
            sawData = true;
            String problem = entry(fields, type, position, context);
            if (problem != null) {
                String first = position + ": " + problem;
                firstProblem = firstProblem.or(() -> Optional.of(first));
            }
        }
        if (context.loaded() == 0 && context.skippedCount() == 0 && firstProblem.isPresent()) {
            throw new IntelFeedException(
                    context.feed(),
                    "",
                    "not an indicator list (type,value[,description] or tab-separated); no line is an indicator, first problem at line "
                            + firstProblem.get());
        }
    }

    /** Handles one data line; returns the problem, or null when the line was loaded or skipped. */
    private static String entry(List<String> fields, String type, String position, FeedContext context) {
        if (fields.size() < 2 || fields.get(1).isBlank()) {
            String message = "expected type,value[,description] but found " + fields.size() + " field(s)";
            context.problem(position, message);
            return message;
        }
        IndicatorType indicatorType = TYPES.get(type);
        if (indicatorType == null) {
            if (type.matches("[a-z0-9_|.-]{1,40}")) {
                context.skip("unsupported type '" + type + "'");
                return null;
            }
            String message = "not an indicator type: '" + IndicatorValues.clip(type) + "'";
            context.problem(position, message);
            return message;
        }
        String value = fields.get(1).strip();
        if ((type.equals("ipv4") && value.contains(":")) || (type.equals("ipv6") && !value.contains(":"))) {
            String message = type + " value is not an " + type + " address: '" + IndicatorValues.clip(value) + "'";
            context.problem(position, message);
            return message;
        }
        Optional<String> note = field(fields, 2);
        Optional<String> author = field(fields, 3);
        String name = note.orElse(indicatorType.label() + " indicator");
        IndicatorSource source =
                new IndicatorSource(context.feed(), FeedFormat.CSV, name, Optional.empty(), author, note);
        long problemsBefore = context.problemCount();
        context.emit(indicatorType, value, source, position);
        return context.problemCount() > problemsBefore ? "bad " + type + " value" : null;
    }

    private static Optional<String> field(List<String> fields, int index) {
        return index < fields.size() && !fields.get(index).isBlank()
                ? Optional.of(fields.get(index).strip())
                : Optional.empty();
    }

    /** Tab-separated when the line has a tab, else CSV with RFC 4180 quotes ({@code "a ""b"", c"}) within the line. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        if (line.indexOf('\t') >= 0) {
            for (String field : line.split("\t", -1)) {
                fields.add(field);
            }
            return fields;
        }
        StringBuilder field = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        while (i < line.length()) {
            char c = line.charAt(i++);
            if (quoted) {
                if (c == '"') {
                    if (i < line.length() && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.toString().isBlank() && !wasQuoted) {
                field.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted field");
        }
        fields.add(field.toString());
        return fields;
    }

    /** Lines of at most {@code max} characters; a longer line is consumed and returned as {@link #TOO_LONG}. */
    static final class BoundedLines {
        // a distinct instance, compared by identity, so no line's text can be mistaken for it
        static final String TOO_LONG = new String("<line too long>");

        private final Reader reader;
        private final int max;
        private final char[] buffer = new char[1 << 16];
        private int position;
        private int limit;
        private final StringBuilder line = new StringBuilder();

        BoundedLines(Reader reader, int max) {
            this.reader = reader;
            this.max = max;
        }

        String next() throws IOException {
            line.setLength(0);
            boolean tooLong = false;
            boolean any = false;
            while (true) {
                if (position == limit) {
                    limit = reader.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return any ? (tooLong ? TOO_LONG : line.toString()) : null;
                    }
                }
                any = true;
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                if (!tooLong) {
                    if (line.length() + (position - start) > max) {
                        tooLong = true;
                        line.setLength(0);
                    } else {
                        line.append(buffer, start, position - start);
                    }
                }
                if (position < limit) {
                    position++;
                    if (tooLong) {
                        return TOO_LONG;
                    }
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
            }
        }
    }
}
