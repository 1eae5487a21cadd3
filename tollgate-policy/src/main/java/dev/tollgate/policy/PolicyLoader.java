package dev.tollgate.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.formats.archive.Limits;
import dev.tollgate.model.IoMessages;
import dev.tollgate.model.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * Reads a policy's YAML (the form {@link Policy} documents) strictly: an unknown key, an unknown severity or a wrong
 * type is a {@link PolicyException} naming the source, the key path ({@code severities.pe.overlay},
 * {@code signers[0].thumbprints[1]}) and its line. Limits: {@value #MAX_POLICY_BYTES} bytes of text, nesting depth
 * {@value #MAX_NESTING_DEPTH}, strings of {@value #MAX_STRING_LENGTH} characters, no duplicate keys.
 */
public final class PolicyLoader {

    static final int MAX_POLICY_BYTES = 1 << 20;
    static final int MAX_NESTING_DEPTH = 16;
    static final int MAX_STRING_LENGTH = 10_000;

    private static final Set<String> KEYS = Set.of("severities", "block", "hold", "signers", "allow", "limits");
    private static final Pattern CODE = Pattern.compile("[a-z0-9]+(\\.[a-z0-9-]+)+");
    private static final Pattern CODE_FAMILY = Pattern.compile("[a-z0-9]+(\\.[a-z0-9-]+)*\\.\\*");
    private static final Set<Severity> DEFAULT_BLOCK = EnumSet.of(Severity.CRITICAL);
    private static final Set<Severity> DEFAULT_HOLD = EnumSet.of(Severity.HIGH);

    private final String yaml;
    private final String source;
    private final YAMLFactory factory;

    private PolicyLoader(String yaml, String source) {
        this.yaml = yaml;
        this.source = source;
        this.factory = YAMLFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .build())
                .build();
    }

    /** Reads a policy file (UTF-8, at most 1 MiB); the exception's message names the file and what is wrong. */
    public static Policy load(Path file) throws PolicyException {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_POLICY_BYTES) {
                throw fileProblem(name, "policy file is larger than " + MAX_POLICY_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw fileProblem(name, "no such policy file");
        } catch (IOException e) {
            throw fileProblem(name, "cannot read policy file: " + IoMessages.reason(e));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fileProblem(name, "policy file is not UTF-8 text");
        }
        return parse(text, name);
    }

    /**
     * Parses policy YAML, such as an uploaded policy; {@code source} names it in error messages. An empty document is
     * {@link Policy#defaults()}.
     *
     * @throws PolicyException for any text that is not a valid policy, and for nothing else
     */
    public static Policy parse(String yaml, String source) throws PolicyException {
        if (yaml.length() > MAX_POLICY_BYTES) {
            throw fileProblem(source, "policy is longer than " + MAX_POLICY_BYTES + " characters");
        }
        return new PolicyLoader(yaml, source).read();
    }

    private static PolicyException fileProblem(String source, String problem) {
        return new PolicyException(source, "", OptionalInt.empty(), problem);
    }

    private Policy read() throws PolicyException {
        JsonNode root;
        try {
            YAMLMapper mapper = new YAMLMapper(factory);
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(yaml);
        } catch (JacksonException e) {
            throw new PolicyException(
                    source,
                    e.getProcessor() instanceof JsonParser p ? keyPath(p.getParsingContext()) : "",
                    line(e.getLocation()),
                    "not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Policy.defaults(); // an empty file changes nothing
        }
        At top = At.ROOT;
        if (!root.isObject()) {
            throw problem(top, "a policy is a mapping with the keys severities, block, hold, signers, allow or limits");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw problem(
                        top.key(key),
                        "unknown key '" + key + "' (expected severities, block, hold, signers, allow or limits)");
            }
        }
        Map<String, Severity> overrides = severities(root.path("severities"), top.key("severities"));
        Set<Severity> blockSet = severitySet(root.path("block"), top.key("block"), DEFAULT_BLOCK);
        Set<Severity> holdSet = severitySet(root.path("hold"), top.key("hold"), DEFAULT_HOLD);
        for (Severity s : blockSet) {
            if (holdSet.contains(s)) {
                throw problem(
                        top.key("hold"), "severity '" + s.label() + "' is in both block and hold; keep it in one");
            }
        }
        return new Policy(
                limits(root.path("limits"), top.key("limits")),
                overrides,
                blockSet,
                holdSet,
                signerPins(root.path("signers"), top.key("signers")),
                allowances(root.path("allow"), top.key("allow")));
    }

    private Map<String, Severity> severities(JsonNode node, At at) throws PolicyException {
        Map<String, Severity> overrides = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return overrides;
        }
        if (!node.isObject()) {
            throw problem(at, "must be a mapping of finding code to severity, e.g. pe.overlay: high");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String code = entry.getKey();
            if (!isCode(code)) {
                throw problem(
                        at.key(code),
                        "'" + code + "' is not a finding code (dotted lower-case words such as pe.overlay, or"
                                + " archive.*)");
            }
            Optional<String> unknown = PolicyCodes.whyUnknown(code);
            if (unknown.isPresent()) {
                throw problem(at.key(code), unknown.get());
            }
            overrides.put(code, severity(entry.getValue(), at.key(code)));
        }
        return overrides;
    }

    /**
     * The {@code limits} mapping: unpacking limits by name ({@link Limits#NAMES}), each a positive whole number, byte
     * counts optionally with a unit ({@code 20GiB}). Checked here, so a bad value is an error naming the key.
     */
    private Map<String, String> limits(JsonNode node, At at) throws PolicyException {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw problem(at, "must be a mapping of limit name to value, e.g. maxDepth: 12");
        }
        Map<String, String> result = new LinkedHashMap<>();
        Limits check = Limits.defaults();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            At limit = at.key(entry.getKey());
            if (!value.isIntegralNumber() && !value.isTextual()) {
                throw problem(limit, "must be a whole number or a size such as 8GiB");
            }
            try {
                check = check.with(entry.getKey(), value.asText());
            } catch (IllegalArgumentException e) {
                throw problem(limit, e.getMessage());
            }
            result.put(entry.getKey(), value.asText());
        }
        return result;
    }

    private List<SignerPin> signerPins(JsonNode node, At at) throws PolicyException {
        List<SignerPin> pins = new ArrayList<>();
        for (JsonNode entry : listOfMappings(node, at)) {
            At pin = at.index(pins.size());
            requireOnly(entry, Set.of("files", "thumbprints", "issuers", "roots"), pin);
            FileGlob files = glob(entry, pin);
            Set<String> thumbprints = thumbprints(entry, pin.key("thumbprints"));
            List<X500Principal> issuers = new ArrayList<>();
            List<String> names = texts(entry.path("issuers"), pin.key("issuers"));
            for (int i = 0; i < names.size(); i++) {
                try {
                    issuers.add(new X500Principal(names.get(i)));
                } catch (IllegalArgumentException e) {
                    throw problem(
                            pin.key("issuers").index(i),
                            "'" + names.get(i) + "' is not a distinguished name: " + e.getMessage());
                }
            }
            Set<String> roots = thumbprints(entry, pin.key("roots"));
            try {
                pins.add(new SignerPin(files, thumbprints, issuers, roots));
            } catch (IllegalArgumentException e) {
                throw problem(pin, e.getMessage());
            }
        }
        return pins;
    }

    private Set<String> thumbprints(JsonNode entry, At at) throws PolicyException {
        Set<String> result = new HashSet<>();
        List<String> values = texts(entry.path(at.lastKey()), at);
        for (int i = 0; i < values.size(); i++) {
            try {
                result.add(SignerPin.normaliseThumbprint(values.get(i)));
            } catch (IllegalArgumentException e) {
                throw problem(at.index(i), e.getMessage());
            }
        }
        return result;
    }

    private List<Allowance> allowances(JsonNode node, At at) throws PolicyException {
        List<Allowance> result = new ArrayList<>();
        for (JsonNode entry : listOfMappings(node, at)) {
            At allowance = at.index(result.size());
            requireOnly(entry, Set.of("code", "files", "reason", "expires"), allowance);
            String code = text(entry, allowance.key("code"));
            if (!isCode(code)) {
                throw problem(allowance.key("code"), "'" + code + "' is not a finding code");
            }
            Optional<String> unknown = PolicyCodes.whyUnknown(code);
            if (unknown.isPresent()) {
                throw problem(allowance.key("code"), unknown.get());
            }
            String expires = text(entry, allowance.key("expires"));
            FileGlob files = glob(entry, allowance);
            String reason = text(entry, allowance.key("reason"));
            LocalDate date;
            try {
                date = LocalDate.parse(expires);
            } catch (DateTimeParseException e) {
                throw problem(allowance.key("expires"), "'" + expires + "' is not a date (YYYY-MM-DD)");
            }
            try {
                result.add(new Allowance(code, files, reason, date));
            } catch (IllegalArgumentException e) {
                throw problem(allowance, e.getMessage());
            }
        }
        return result;
    }

    private FileGlob glob(JsonNode entry, At at) throws PolicyException {
        try {
            return FileGlob.parse(text(entry, at.key("files")));
        } catch (IllegalArgumentException e) {
            throw problem(at.key("files"), e.getMessage());
        }
    }

    private List<JsonNode> listOfMappings(JsonNode node, At at) throws PolicyException {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw problem(at, "must be a list of mappings");
        }
        List<JsonNode> entries = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isObject()) {
                throw problem(at.index(i), "must be a mapping, found " + describe(node.get(i)));
            }
            entries.add(node.get(i));
        }
        return entries;
    }

    private void requireOnly(JsonNode entry, Set<String> keys, At at) throws PolicyException {
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw problem(
                        at.key(key),
                        "unknown key '" + key + "' (expected " + String.join(", ", new TreeSet<>(keys)) + ")");
            }
        }
    }

    private String text(JsonNode entry, At at) throws PolicyException {
        JsonNode v = entry.path(at.lastKey());
        if (!v.isTextual() && !v.isNumber()) {
            throw problem(at, "expected text, found " + (v.isMissingNode() ? "nothing" : describe(v)));
        }
        return v.asText();
    }

    private List<String> texts(JsonNode v, At at) throws PolicyException {
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw problem(at, "expected a list, found " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw problem(at.index(i), "expected text, found " + describe(v.get(i)));
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    private Set<Severity> severitySet(JsonNode node, At at, Set<Severity> fallback) throws PolicyException {
        if (node.isMissingNode()) {
            return fallback;
        }
        if (node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            throw problem(
                    at,
                    "must be a list of severities, e.g. " + at.path() + ": ["
                            + fallback.iterator().next().label() + "]");
        }
        Set<Severity> result = EnumSet.noneOf(Severity.class);
        for (int i = 0; i < node.size(); i++) {
            result.add(severity(node.get(i), at.index(i)));
        }
        return result;
    }

    private Severity severity(JsonNode node, At at) throws PolicyException {
        if (!node.isTextual()) {
            throw problem(at, "expected a severity (critical, high, medium, low or info), found " + describe(node));
        }
        try {
            return Severity.fromLabel(node.textValue());
        } catch (IllegalArgumentException e) {
            throw problem(at, e.getMessage());
        }
    }

    private PolicyException problem(At at, String problem) {
        return new PolicyException(source, at.path(), lineOf(at.pointer()), problem);
    }

    /**
     * The line of the key (or list item) at {@code target}, or of the nearest enclosing one when it is missing: found
     * again by streaming, as a tree keeps no locations.
     */
    private OptionalInt lineOf(JsonPointer target) {
        Map<JsonPointer, Integer> lines = new HashMap<>();
        try (JsonParser p = factory.createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                JsonStreamContext context = p.getParsingContext();
                if (t.isStructStart() && context.getParent() != null) {
                    context = context.getParent(); // a mapping or list is located where its key or item starts
                }
                JsonPointer here = context.pathAsPointer();
                line(p.currentTokenLocation()).ifPresent(n -> lines.putIfAbsent(here, n));
            }
        } catch (IOException e) {
            // the text parsed once already; without a location the message still names the key
        }
        for (JsonPointer at = target; at != null; at = at.head()) {
            Integer line = lines.get(at);
            if (line != null) {
                return OptionalInt.of(line);
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalInt line(JsonLocation location) {
        return location == null || location.getLineNr() < 1
                ? OptionalInt.empty()
                : OptionalInt.of(location.getLineNr());
    }

    /** The key path of a parser's position, as {@link At#path()} writes it. */
    private static String keyPath(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.addFirst((c.getParent() != null && !c.getParent().inRoot() ? "." : "") + c.getCurrentName());
            }
        }
        return String.join("", parts);
    }

    private static boolean isCode(String code) {
        return CODE.matcher(code).matches() || CODE_FAMILY.matcher(code).matches();
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "nothing";
        }
        return "'" + node.asText() + "'";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * A position in the policy: the key path as the docs write it ({@code signers[0].thumbprints[1]}) and the same
     * position as a JSON pointer, to find its line.
     */
    private record At(String path, JsonPointer pointer, String lastKey) {
        static final At ROOT = new At("", JsonPointer.empty(), "");

        At key(String name) {
            return new At(path.isEmpty() ? name : path + "." + name, pointer.appendProperty(name), name);
        }

        At index(int i) {
            return new At(path + "[" + i + "]", pointer.appendIndex(i), lastKey);
        }
    }
}
