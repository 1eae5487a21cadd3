package dev.tollgate.intel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The subset of the STIX 2.1 patterning language (STIX 2.1 section 9) that can be decided for one file without running
 * it: equality (and {@code IN}, and {@code ISSUBSET} of a network) on file hashes, domain names, URLs, IP addresses and
 * X.509 serials and thumbprints, combined with {@code AND} and {@code OR} inside and between observation expressions.
 *
 * <p>The pattern is parsed in full (a syntax error is reported with its offset), then brought to disjunctive normal form:
 * every {@code OR} alternative is evaluated on its own. An alternative is loaded when it is one supported comparison,
 * or an {@code AND} of comparisons on one file (or one certificate), which is loaded as its strongest hash: the other
 * comparisons only narrow a match that the hash already makes. Everything else is skipped with a reason: other
 * operators ({@code LIKE}, {@code MATCHES}, {@code !=}, ...), negation, {@code AND} across objects or observations,
 * {@code FOLLOWEDBY}, qualifiers ({@code WITHIN}, {@code REPEATS}, {@code START/STOP}), and object paths Tollgate does
 * not observe.
 */
final class StixPattern {

    /** One comparison to load. */
    record Comparison(IndicatorType type, String value) {}

    /**
     * What a pattern yields.
     *
     * @param comparisons the alternatives that can be evaluated, each one value
     * @param skipped why other alternatives were not (empty when all were loaded)
     */
    record Evaluation(List<Comparison> comparisons, Set<String> skipped) {}

    /** A comparison as parsed; {@code type} is null when Tollgate cannot evaluate it, and {@code reason} says why. */
    private record Term(String objectType, IndicatorType type, String value, String reason) {
        boolean supported() {
            return type != null;
        }
    }

    /** Disjunctive normal form: alternatives of conjunctions, plus the reasons alternatives were dropped. */
    private record Dnf(List<List<Term>> alternatives, Set<String> skipped) {}

    private static final Map<String, IndicatorType> PATHS = Map.ofEntries(
            Map.entry("file:hashes.sha256", IndicatorType.SHA256),
            Map.entry("file:hashes.sha1", IndicatorType.SHA1),
            Map.entry("file:hashes.md5", IndicatorType.MD5),
            Map.entry("domain-name:value", IndicatorType.DOMAIN),
            Map.entry("url:value", IndicatorType.URL),
            Map.entry("ipv4-addr:value", IndicatorType.IP),
            Map.entry("ipv6-addr:value", IndicatorType.IP),
            Map.entry("x509-certificate:serial_number", IndicatorType.CERT_SERIAL),
            Map.entry("x509-certificate:hashes.sha256", IndicatorType.CERT_SHA256),
            Map.entry("x509-certificate:hashes.sha1", IndicatorType.CERT_SHA1));

    /** Strongest first: an AND on one object is loaded as the first of these it contains. */
    private static final List<IndicatorType> STRENGTH = List.of(
            IndicatorType.SHA256,
            IndicatorType.SHA1,
            IndicatorType.MD5,
            IndicatorType.CERT_SHA256,
            IndicatorType.CERT_SHA1,
            IndicatorType.CERT_SERIAL);

    private final String text;
    private final FeedLimits limits;
    private final List<Token> tokens;
    private int next;
    private int depth;

    private StixPattern(String text, FeedLimits limits) {
        this.text = text;
        this.limits = limits;
        this.tokens = new Lexer(text).all();
    }

    /**
     * Parses and evaluates a pattern.
     *
     * @throws IllegalArgumentException for a syntax error or a limit exceeded, naming the offset
     */
    static Evaluation evaluate(String pattern, FeedLimits limits) {
        if (pattern.length() > limits.maxPatternLength()) {
            throw new IllegalArgumentException(
                    "pattern is " + pattern.length() + " characters, over the limit of " + limits.maxPatternLength());
        }
        StixPattern parser = new StixPattern(pattern, limits);
        Dnf result = parser.observationFollowedBy();
        Token end = parser.peek();
        if (end.kind != Kind.END) {
            throw parser.error(end, "unexpected '" + end.text + "'");
        }
        List<Comparison> comparisons = new ArrayList<>();
        Set<String> skipped = new LinkedHashSet<>(result.skipped());
        for (List<Term> alternative : result.alternatives()) {
            Term term = alternative.getFirst();
            comparisons.add(new Comparison(term.type(), term.value()));
        }
        return new Evaluation(List.copyOf(comparisons), skipped);
    }

    // ---- observation expressions: AND binds tighter than OR, which binds tighter than FOLLOWEDBY (section 9.5) ----

    private Dnf observationFollowedBy() {
        Dnf left = observationOr();
        while (peekWord("FOLLOWEDBY")) {
            next++;
            Dnf right = observationOr();
            left = dropAll(left, right, "FOLLOWEDBY (a sequence of observations over time)");
        }
        return left;
    }

    private Dnf observationOr() {
        Dnf left = observationAnd();
        while (peekWord("OR")) {
            next++;
            left = union(left, observationAnd());
        }
        return left;
    }

    private Dnf observationAnd() {
        Dnf left = qualifiedObservation();
        while (peekWord("AND")) {
            next++;
            Dnf right = qualifiedObservation();
            left = dropAll(left, right, "AND of observations (needs several observations at once)");
        }
        return left;
    }

    private Dnf qualifiedObservation() {
        Dnf observation = observationPrimary();
        while (peekWord("WITHIN") || peekWord("REPEATS") || peekWord("START")) {
            String qualifier = tokens.get(next).text;
            skipQualifier(qualifier);
            observation = dropAll(
                    observation, observation, "qualifier " + qualifier + (qualifier.equals("START") ? "/STOP" : ""));
        }
        return observation;
    }

    private void skipQualifier(String qualifier) {
        next++;
        switch (qualifier) {
            case "WITHIN" -> {
                expect(Kind.WORD, "a number of seconds after WITHIN");
                expectWord("SECONDS");
            }
            case "REPEATS" -> {
                expect(Kind.WORD, "a count after REPEATS");
                expectWord("TIMES");
            }
            default -> {
                expect(Kind.STRING, "a timestamp after START");
                expectWord("STOP");
                expect(Kind.STRING, "a timestamp after STOP");
            }
        }
    }

    private Dnf observationPrimary() {
        Token token = peek();
        if (token.kind == Kind.LBRACKET) {
            enter(token);
            next++;
            Dnf comparisons = comparisonOr();
            expect(Kind.RBRACKET, "']' closing the observation expression");
            depth--;
            return reduceObservation(comparisons);
        }
        if (token.kind == Kind.LPAREN) {
            enter(token);
            next++;
            Dnf inner = observationFollowedBy();
            expect(Kind.RPAREN, "')'");
            depth--;
            return inner;
        }
        throw error(token, "expected '[' or '(' but found '" + token.text + "'");
    }

    /** Leaves each alternative of one observation as a single supported comparison, or drops it with a reason. */
    private static Dnf reduceObservation(Dnf comparisons) {
        List<List<Term>> kept = new ArrayList<>();
        Set<String> skipped = new LinkedHashSet<>(comparisons.skipped());
        for (List<Term> conjunction : comparisons.alternatives()) {
            if (conjunction.size() == 1) {
                Term term = conjunction.getFirst();
                if (term.supported()) {
                    kept.add(conjunction);
                } else {
                    skipped.add(term.reason());
                }
                continue;
            }
            String objectType = conjunction.getFirst().objectType();
            boolean oneObject =
                    conjunction.stream().allMatch(t -> t.objectType().equals(objectType));
            if (oneObject && (objectType.equals("file") || objectType.equals("x509-certificate"))) {
                Term strongest = null;
                for (IndicatorType type : STRENGTH) {
                    for (Term term : conjunction) {
                        if (strongest == null && term.type() == type) {
                            strongest = term;
                        }
                    }
                }
                if (strongest != null) {
                    kept.add(List.of(strongest));
                    continue;
                }
            }
            Term unsupported =
                    conjunction.stream().filter(t -> !t.supported()).findFirst().orElse(null);
            if (unsupported != null) {
                skipped.add(unsupported.reason());
            } else {
                skipped.add(
                        oneObject
                                ? "AND of comparisons on one " + objectType + " object"
                                : "AND across different objects (cannot be decided per file)");
            }
        }
        return new Dnf(kept, skipped);
    }

    // ---- comparison expressions ----

    private Dnf comparisonOr() {
        Dnf left = comparisonAnd();
        while (peekWord("OR")) {
            next++;
            left = union(left, comparisonAnd());
        }
        return left;
    }

    private Dnf comparisonAnd() {
        Dnf left = comparisonPrimary();
        while (peekWord("AND")) {
            next++;
            left = product(left, comparisonPrimary());
        }
        return left;
    }

    private Dnf comparisonPrimary() {
        Token token = peek();
        if (token.kind == Kind.LPAREN) {
            enter(token);
            next++;
            Dnf inner = comparisonOr();
            expect(Kind.RPAREN, "')'");
            depth--;
            return inner;
        }
        if (peekWord("EXISTS")) {
            next++;
            Token path = expect(Kind.PATH, "an object path after EXISTS");
            return single(unsupported(path.text, "EXISTS"));
        }
        Token path = expect(Kind.PATH, "an object path such as file:hashes.'SHA-256'");
        boolean negated = false;
        if (peekWord("NOT")) {
            next++;
            negated = true;
        }
        Token operator = next();
        String op = operator.text;
        boolean known = operator.kind == Kind.OPERATOR
                || (operator.kind == Kind.WORD
                        && Set.of("IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET")
                                .contains(op));
        if (!known) {
            throw error(operator, "expected a comparison operator but found '" + op + "'");
        }
        List<Token> literals = new ArrayList<>();
        if (op.equals("IN")) {
            enter(peek());
            expect(Kind.LPAREN, "'(' after IN");
            do {
                literals.add(literal());
                if (literals.size() > limits.maxPatternAlternatives()) {
                    throw error(peek(), "IN list longer than " + limits.maxPatternAlternatives());
                }
            } while (accept(Kind.COMMA));
            expect(Kind.RPAREN, "')' closing the IN list");
            depth--;
        } else {
            literals.add(literal());
        }
        String objectPath = canonicalPath(path.text);
        IndicatorType type = PATHS.get(objectPath);
        if (type == null) {
            return single(unsupported(path.text, "object path " + clipPath(path.text)));
        }
        if (negated || op.equals("!=")) {
            return single(unsupported(path.text, "negated comparison"));
        }
        boolean equality = op.equals("=") || op.equals("IN");
        boolean network = op.equals("ISSUBSET") && type == IndicatorType.IP;
        if (!equality && !network) {
            return single(unsupported(path.text, "operator " + op));
        }
        List<List<Term>> alternatives = new ArrayList<>();
        for (Token literal : literals) {
            if (literal.kind != Kind.STRING || literal.prefix != 0) {
                alternatives.add(List.of(unsupported(path.text, "non-string value for " + objectPath)));
            } else {
                alternatives.add(List.of(new Term(objectType(path.text), type, literal.text, "")));
            }
        }
        return new Dnf(alternatives, Set.of());
    }

    private Token literal() {
        Token token = next();
        if (token.kind == Kind.STRING || token.kind == Kind.WORD) {
            return token;
        }
        throw error(token, "expected a value but found '" + token.text + "'");
    }

    /** {@code file:hashes.'SHA-256'} and {@code file:hashes.SHA256} alike become {@code file:hashes.sha256}. */
    private static String canonicalPath(String path) {
        String lower = path.toLowerCase(Locale.ROOT).replace("'", "");
        int hashes = lower.indexOf(":hashes.");
        if (hashes >= 0) {
            lower = lower.substring(0, hashes + 8) + lower.substring(hashes + 8).replace("-", "");
        }
        return lower;
    }

    private static String clipPath(String path) {
        String type = objectType(path);
        return "'" + IndicatorValues.clip(path.length() > 60 && !type.isEmpty() ? type + ":..." : path) + "'";
    }

    private static String objectType(String path) {
        int colon = path.indexOf(':');
        return colon < 0 ? path : path.substring(0, colon);
    }

    private static Term unsupported(String path, String reason) {
        return new Term(objectType(path), null, "", reason);
    }

    private static Dnf single(Term term) {
        return new Dnf(List.of(List.of(term)), Set.of());
    }

    private static Dnf union(Dnf a, Dnf b) {
        List<List<Term>> alternatives = new ArrayList<>(a.alternatives());
        alternatives.addAll(b.alternatives());
        Set<String> skipped = new LinkedHashSet<>(a.skipped());
        skipped.addAll(b.skipped());
        return new Dnf(alternatives, skipped);
    }

    private Dnf product(Dnf a, Dnf b) {
        long size = (long) a.alternatives().size() * b.alternatives().size();
        if (size > limits.maxPatternAlternatives()) {
            throw new IllegalArgumentException("pattern expands to " + size + " alternatives, over the limit of "
                    + limits.maxPatternAlternatives());
        }
        List<List<Term>> alternatives = new ArrayList<>();
        for (List<Term> left : a.alternatives()) {
            for (List<Term> right : b.alternatives()) {
                List<Term> conjunction = new ArrayList<>(left);
                conjunction.addAll(right);
                alternatives.add(conjunction);
            }
        }
        Set<String> skipped = new LinkedHashSet<>(a.skipped());
        skipped.addAll(b.skipped());
        return new Dnf(alternatives, skipped);
    }

    /** Both operands are dropped: whatever they could match, the combination cannot be decided per file. */
    private static Dnf dropAll(Dnf a, Dnf b, String reason) {
        Set<String> skipped = new LinkedHashSet<>(a.skipped());
        skipped.addAll(b.skipped());
        skipped.add(reason);
        return new Dnf(List.of(), skipped);
    }

    // ---- tokens ----

    private void enter(Token token) {
        if (++depth > limits.maxPatternDepth()) {
            throw error(token, "pattern nests deeper than " + limits.maxPatternDepth());
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token next() {
        Token token = tokens.get(next);
        if (token.kind != Kind.END) {
            next++;
        }
        return token;
    }

    private boolean peekWord(String word) {
        Token token = peek();
        return token.kind == Kind.WORD && token.text.equals(word);
    }

    private boolean accept(Kind kind) {
        if (peek().kind == kind) {
            next++;
            return true;
        }
        return false;
    }

    private Token expect(Kind kind, String what) {
        Token token = peek();
        if (token.kind != kind) {
            throw error(token, "expected " + what + " but found '" + IndicatorValues.clip(token.text) + "'");
        }
        next++;
        return token;
    }

    private void expectWord(String word) {
        if (!peekWord(word)) {
            throw error(peek(), "expected " + word + " but found '" + IndicatorValues.clip(peek().text) + "'");
        }
        next++;
    }

    private IllegalArgumentException error(Token token, String message) {
        return new IllegalArgumentException(
                "pattern offset " + token.offset + ": " + message + " in '" + IndicatorValues.clip(text) + "'");
    }

    private enum Kind {
        LBRACKET,
        RBRACKET,
        LPAREN,
        RPAREN,
        COMMA,
        OPERATOR,
        WORD,
        PATH,
        STRING,
        END
    }

    /** {@code prefix} is the literal's type letter ({@code t}, {@code h}, {@code b}) or 0 for a plain string. */
    private record Token(Kind kind, String text, int offset, char prefix) {}

    /** Splits a pattern into tokens; object paths with their quoted components are one token. */
    private static final class Lexer {
        private final String text;
        private int at;

        Lexer(String text) {
            this.text = text;
        }

        List<Token> all() {
            List<Token> out = new ArrayList<>();
            while (true) {
                Token token = token();
                out.add(token);
                if (token.kind == Kind.END) {
                    return out;
                }
            }
        }

        private Token token() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            int start = at;
            if (at >= text.length()) {
                return new Token(Kind.END, "end of pattern", start, '\0');
            }
            char c = text.charAt(at);
            switch (c) {
                case '[' -> {
                    at++;
                    return new Token(Kind.LBRACKET, "[", start, '\0');
                }
                case ']' -> {
                    at++;
                    return new Token(Kind.RBRACKET, "]", start, '\0');
                }
                case '(' -> {
                    at++;
                    return new Token(Kind.LPAREN, "(", start, '\0');
                }
                case ')' -> {
                    at++;
                    return new Token(Kind.RPAREN, ")", start, '\0');
                }
                case ',' -> {
                    at++;
                    return new Token(Kind.COMMA, ",", start, '\0');
                }
                case '\'' -> {
                    return new Token(Kind.STRING, string(), start, '\0');
                }
                case '=' -> {
                    at++;
                    return new Token(Kind.OPERATOR, "=", start, '\0');
                }
                case '!', '<', '>' -> {
                    at++;
                    if (at < text.length() && text.charAt(at) == '=') {
                        at++;
                        return new Token(Kind.OPERATOR, c + "=", start, '\0');
                    }
                    if (c == '!') {
                        throw lexError(start, "'!' must be followed by '='");
                    }
                    return new Token(Kind.OPERATOR, String.valueOf(c), start, '\0');
                }
                default -> {}
            }
            if (!isWordChar(c)) {
                throw lexError(start, "unexpected character '" + IndicatorValues.clip(String.valueOf(c)) + "'");
            }
            while (at < text.length() && (isWordChar(text.charAt(at)) || text.charAt(at) == '.')) {
                at++;
            }
            String word = text.substring(start, at);
            if (word.length() == 1 && "thb".contains(word) && at < text.length() && text.charAt(at) == '\'') {
                return new Token(Kind.STRING, string(), start, word.charAt(0));
            }
            if (at < text.length() && text.charAt(at) == ':') {
                return new Token(Kind.PATH, path(start), start, '\0');
            }
            return new Token(Kind.WORD, word, start, '\0');
        }

        /** The rest of an object path: {@code :prop}, then {@code .prop}, {@code .'quoted'}, {@code [n]}, {@code [*]}. */
        private String path(int start) {
            at++;
            int property = at;
            while (at < text.length() && isWordChar(text.charAt(at))) {
                at++;
            }
            if (at == property) {
                throw lexError(at, "object path has no property after ':'");
            }
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '.' && at + 1 < text.length()) {
                    at++;
                    if (text.charAt(at) == '\'') {
                        string();
                    } else {
                        int component = at;
                        while (at < text.length() && isWordChar(text.charAt(at))) {
                            at++;
                        }
                        if (at == component) {
                            throw lexError(at, "object path has an empty component");
                        }
                    }
                } else if (c == '['
                        && at + 2 < text.length()
                        && (text.charAt(at + 1) == '*' || Character.isDigit(text.charAt(at + 1)))) {
                    int close = text.indexOf(']', at);
                    if (close < 0 || !text.substring(at + 1, close).matches("\\*|[0-9]{1,9}")) {
                        throw lexError(at, "bad list index in object path");
                    }
                    at = close + 1;
                } else {
                    break;
                }
            }
            return text.substring(start, at);
        }

        /** A quoted string; STIX allows only the escapes backslash-quote and backslash-backslash (section 9.4). */
        private String string() {
            int start = at;
            at++;
            StringBuilder out = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '\'') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (at >= text.length() || (text.charAt(at) != '\'' && text.charAt(at) != '\\')) {
                        throw lexError(at - 1, "bad escape in string (only \\' and \\\\ are allowed)");
                    }
                    c = text.charAt(at++);
                }
                out.append(c);
            }
            throw lexError(start, "unterminated string");
        }

        private static boolean isWordChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }

        private IllegalArgumentException lexError(int offset, String message) {
            return new IllegalArgumentException(
                    "pattern offset " + offset + ": " + message + " in '" + IndicatorValues.clip(text) + "'");
        }
    }
}
