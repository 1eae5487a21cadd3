package dev.tollgate.engine;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Severity;
import dev.tollgate.model.Verdict;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns findings into a verdict: per-code severity overrides, then {@code block} if any finding has a blocking
 * severity, else {@code hold} if any has a holding severity, else {@code allow}. The default policy (DESIGN.md,
 * "Finding codes") blocks on critical and holds on high.
 *
 * <p>The YAML form, validated strictly (an unknown key, an unknown severity or a wrong type is an error naming the file
 * and the key):
 *
 * <pre>{@code
 * severities:              # optional: severity per finding code; "prefix.*" matches a family, exact codes win
 *   pe.overlay: high
 *   archive.*: high
 * block: [critical]        # optional, default [critical]
 * hold: [high]             # optional, default [high]; a severity cannot both block and hold
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class Policy {

    private static final Set<String> KEYS = Set.of("severities", "block", "hold");
    private static final Pattern CODE = Pattern.compile("[a-z0-9]+(\\.[a-z0-9-]+)+");
    private static final Pattern CODE_FAMILY = Pattern.compile("[a-z0-9]+(\\.[a-z0-9-]+)*\\.\\*");
    private static final long MAX_POLICY_BYTES = 1 << 20;
    private static final int MAX_FILES_NAMED = 3;

    private static final Policy DEFAULT =
            new Policy(Map.of(), EnumSet.of(Severity.CRITICAL), EnumSet.of(Severity.HIGH));

    private final Map<String, Severity> overrides;
    private final Set<Severity> block;
    private final Set<Severity> hold;

    private Policy(Map<String, Severity> overrides, Set<Severity> block, Set<Severity> hold) {
        this.overrides = Map.copyOf(overrides);
        this.block = Set.copyOf(block);
        this.hold = Set.copyOf(hold);
    }

    /** Blocks on critical findings, holds on high ones, keeps every severity as the analyzers propose. */
    public static Policy defaults() {
        return DEFAULT;
    }

    /** Reads a policy file; the exception's message names the file and what is wrong with it. */
    public static Policy load(Path file) throws PolicyException {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_POLICY_BYTES) {
                throw new PolicyException(name + ": policy file is larger than " + MAX_POLICY_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PolicyException(name + ": no such policy file");
        } catch (IOException e) {
            throw new PolicyException(name + ": cannot read policy file: " + IoMessages.reason(e));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(name + ": policy file is not UTF-8 text");
        }
        return parse(text, name);
    }

    /** Parses policy YAML; {@code source} names it in error messages. */
    public static Policy parse(String yaml, String source) throws PolicyException {
        JsonNode root;
        try {
            YAMLFactory factory = YAMLFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(16)
                            .maxStringLength(10_000)
                            .build())
                    .build();
            YAMLMapper mapper = new YAMLMapper(factory);
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(yaml);
        } catch (JacksonException e) {
            throw new PolicyException(source + ": not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return DEFAULT; // an empty file changes nothing
        }
        if (!root.isObject()) {
            throw new PolicyException(source + ": a policy is a mapping with the keys severities, block, hold");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new PolicyException(source + ": unknown key '" + key + "' (expected severities, block or hold)");
            }
        }
        Map<String, Severity> overrides = new LinkedHashMap<>();
        JsonNode severities = root.path("severities");
        if (!severities.isMissingNode() && !severities.isNull()) {
            if (!severities.isObject()) {
                throw new PolicyException(
                        source + ": 'severities' must be a mapping of finding code to severity, e.g. pe.overlay: high");
            }
            for (Map.Entry<String, JsonNode> entry : severities.properties()) {
                String code = entry.getKey();
                if (!CODE.matcher(code).matches() && !CODE_FAMILY.matcher(code).matches()) {
                    throw new PolicyException(source + ": severities: '" + code
                            + "' is not a finding code (dotted lower-case words such as pe.overlay, or archive.*)");
                }
                overrides.put(code, severity(entry.getValue(), source, "severities." + code));
            }
        }
        Set<Severity> blockSet = severitySet(root, "block", DEFAULT.block, source);
        Set<Severity> holdSet = severitySet(root, "hold", DEFAULT.hold, source);
        for (Severity s : blockSet) {
            if (holdSet.contains(s)) {
                throw new PolicyException(
                        source + ": severity '" + s.label() + "' is in both block and hold; keep it in one");
            }
        }
        return new Policy(overrides, blockSet, holdSet);
    }

    /** The severity this policy gives a finding with {@code code} that an analyzer rated {@code proposed}. */
    public Severity severityOf(String code, Severity proposed) {
        Severity exact = overrides.get(code);
        if (exact != null) {
            return exact;
        }
        // The longest matching family wins: "archive.bomb.*" over "archive.*".
        String best = null;
        for (String key : overrides.keySet()) {
            if (key.endsWith(".*")
                    && code.startsWith(key.substring(0, key.length() - 1))
                    && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? proposed : overrides.get(best);
    }

    /** What a finding of this severity does to the verdict. */
    public Verdict verdictFor(Severity severity) {
        if (block.contains(severity)) {
            return Verdict.BLOCK;
        }
        return hold.contains(severity) ? Verdict.HOLD : Verdict.ALLOW;
    }

    /**
     * Applies this policy: the findings with their policy severities (most severe first, then by path and code), the
     * verdict, and one reason line per finding code that made the verdict stricter than allow.
     */
    public Decision decide(List<Finding> findings) {
        List<Finding> rated = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Severity s = severityOf(f.code(), f.severity());
            rated.add(s == f.severity() ? f : f.withSeverity(s));
        }
        rated.sort(FINDING_ORDER);
        Verdict verdict = Verdict.ALLOW;
        // code -> paths, in severity order because 'rated' is sorted
        Map<String, List<String>> pathsByCode = new LinkedHashMap<>();
        Map<String, Finding> firstByCode = new TreeMap<>();
        for (Finding f : rated) {
            Verdict v = verdictFor(f.severity());
            verdict = verdict.max(v);
            if (v != Verdict.ALLOW) {
                String key = f.severity().ordinal() + " " + f.code();
                pathsByCode.computeIfAbsent(key, k -> new ArrayList<>()).add(f.path());
                firstByCode.putIfAbsent(key, f);
            }
        }
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : pathsByCode.entrySet()) {
            Finding first = firstByCode.get(e.getKey());
            reasons.add(reason(first, verdictFor(first.severity()), e.getValue()));
        }
        return new Decision(verdict, rated, reasons);
    }

    private static String reason(Finding first, Verdict effect, List<String> paths) {
        List<String> distinct = paths.stream().distinct().toList();
        StringBuilder line = new StringBuilder()
                .append(effect.label())
                .append(": ")
                .append(first.code())
                .append(" (")
                .append(first.severity().label())
                .append(") in ");
        if (distinct.size() == 1) {
            line.append(distinct.getFirst());
        } else {
            line.append(distinct.size())
                    .append(" files: ")
                    .append(String.join(", ", distinct.subList(0, Math.min(MAX_FILES_NAMED, distinct.size()))));
            if (distinct.size() > MAX_FILES_NAMED) {
                line.append(" and ").append(distinct.size() - MAX_FILES_NAMED).append(" more");
            }
        }
        return line.toString();
    }

    /** Most severe first, then by path, code and message, so reports are stable. */
    public static final Comparator<Finding> FINDING_ORDER = Comparator.comparing(Finding::severity)
            .thenComparing(Finding::path)
            .thenComparing(Finding::code)
            .thenComparing(Finding::message);

    /**
     * The outcome of applying a policy.
     *
     * @param verdict allow, hold or block
     * @param findings the findings with their policy severities, most severe first
     * @param reasons one line per severity and code that made the verdict hold or block; empty on allow
     */
    public record Decision(Verdict verdict, List<Finding> findings, List<String> reasons) {
        public Decision {
            Objects.requireNonNull(verdict, "verdict");
            findings = List.copyOf(findings);
            reasons = List.copyOf(reasons);
        }
    }

    private static Set<Severity> severitySet(JsonNode root, String key, Set<Severity> fallback, String source)
            throws PolicyException {
        JsonNode node = root.path(key);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            throw new PolicyException(source + ": '" + key + "' must be a list of severities, e.g. " + key + ": ["
                    + fallback.stream()
                            .map(Severity::label)
                            .sorted()
                            .findFirst()
                            .orElse("critical") + "]");
        }
        Set<Severity> result = EnumSet.noneOf(Severity.class);
        for (int i = 0; i < node.size(); i++) {
            result.add(severity(node.get(i), source, key + "[" + i + "]"));
        }
        return result;
    }

    private static Severity severity(JsonNode node, String source, String key) throws PolicyException {
        if (!node.isTextual()) {
            throw new PolicyException(source + ": " + key
                    + ": expected a severity (critical, high, medium, low or info), found " + describe(node));
        }
        try {
            return Severity.fromLabel(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new PolicyException(source + ": " + key + ": " + e.getMessage());
        }
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

    @Override
    public String toString() {
        return "Policy[overrides=" + new TreeMap<>(overrides) + ", block=" + block + ", hold=" + hold + "]";
    }
}
