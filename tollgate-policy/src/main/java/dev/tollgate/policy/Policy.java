package dev.tollgate.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.formats.archive.Limits;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.IoMessages;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import dev.tollgate.model.Verdict;
import dev.tollgate.model.Vetting;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
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
 * severity, else {@code hold} if any has a holding severity, else {@code allow}. The default policy (docs/DESIGN.md,
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
 * signers:                 # optional: who must sign which files (any one of the three kinds satisfies a pin)
 *   - files: "*.dll"       # a glob; without "/" it matches the file name anywhere
 *     thumbprints: [3f0a...64 hex digits]             # the signing certificate's SHA-256
 *     issuers: ["CN=Orbit Code Signing CA, O=Orbit"]  # its issuer's name, in a chain to a trust anchor
 *     roots: [9a2c...64 hex digits]                   # the SHA-256 of the trust anchor its chain ends in
 * allow:                   # optional: accepted risks, lowered to info until they expire
 *   - code: pe.overlay     # a code or a family such as archive.*
 *     files: setup.exe
 *     reason: "the NSIS installer stub carries its payload as an overlay"
 *     expires: 2027-06-30
 * limits:                  # optional: unpacking limits (Limits#NAMES), byte counts may carry a unit
 *   maxTotalBytes: 20GiB
 *   maxDepth: 12
 * }</pre>
 *
 * A file matching a signer pin without a sound signature by a pinned certificate or issuer gets
 * {@code policy.unexpected-signer} (high). An allowance past its expiry date no longer applies and is reported as
 * {@code policy.allowance-expired} (low).
 *
 * Immutable and thread-safe.
 */
public final class Policy {

    private static final Set<String> KEYS = Set.of("severities", "block", "hold", "signers", "allow", "limits");
    private static final Pattern CODE = Pattern.compile("[a-z0-9]+(\\.[a-z0-9-]+)+");
    private static final Pattern CODE_FAMILY = Pattern.compile("[a-z0-9]+(\\.[a-z0-9-]+)*\\.\\*");
    private static final long MAX_POLICY_BYTES = 1 << 20;
    private static final int MAX_FILES_NAMED = 3;

    private static final Policy DEFAULT = new Policy(
            Map.of(),
            Map.of(),
            EnumSet.of(Severity.CRITICAL),
            EnumSet.of(Severity.HIGH),
            List.of(),
            List.of(),
            Clock.systemUTC());

    private final Map<String, String> limits;
    private final Map<String, Severity> overrides;
    private final Set<Severity> block;
    private final Set<Severity> hold;
    private final List<SignerPin> signers;
    private final List<Allowance> allowances;
    private final Clock clock;

    private Policy(
            Map<String, String> limits,
            Map<String, Severity> overrides,
            Set<Severity> block,
            Set<Severity> hold,
            List<SignerPin> signers,
            List<Allowance> allowances,
            Clock clock) {
        this.limits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(limits));
        this.overrides = Map.copyOf(overrides);
        this.block = Set.copyOf(block);
        this.hold = Set.copyOf(hold);
        this.signers = List.copyOf(signers);
        this.allowances = List.copyOf(allowances);
        this.clock = clock;
    }

    /** This policy judging allowance expiry by {@code clock}'s date (UTC), for tests. */
    Policy withClock(Clock newClock) {
        return new Policy(
                limits, overrides, block, hold, signers, allowances, Objects.requireNonNull(newClock, "clock"));
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
                throw new PolicyException(source + ": unknown key '" + key
                        + "' (expected severities, block, hold, signers, allow or limits)");
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
                PolicyCodes.requireKnown(code, source, "severities");
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
        return new Policy(
                limits(root.path("limits"), source),
                overrides,
                blockSet,
                holdSet,
                signerPins(root.path("signers"), source),
                allowances(root.path("allow"), source),
                Clock.systemUTC());
    }

    /**
     * The {@code limits} mapping: unpacking limits by name ({@link Limits#NAMES}), each a positive whole number, byte
     * counts optionally with a unit ({@code 20GiB}). Checked here, so a bad value is an error naming the file.
     */
    private static Map<String, String> limits(JsonNode node, String source) throws PolicyException {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new PolicyException(
                    source + ": 'limits' must be a mapping of limit name to value, e.g. maxDepth: 12");
        }
        Map<String, String> result = new LinkedHashMap<>();
        Limits check = Limits.defaults();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isIntegralNumber() && !value.isTextual()) {
                throw new PolicyException(
                        source + ": limits." + entry.getKey() + ": must be a whole number or a size such as 8GiB");
            }
            try {
                check = check.with(entry.getKey(), value.asText());
            } catch (IllegalArgumentException e) {
                throw new PolicyException(source + ": limits: " + e.getMessage());
            }
            result.put(entry.getKey(), value.asText());
        }
        return result;
    }

    /** {@code base} with this policy's {@code limits} section applied; {@code base} itself when it has none. */
    public Limits limits(Limits base) {
        Limits result = base;
        for (Map.Entry<String, String> e : limits.entrySet()) {
            result = result.with(e.getKey(), e.getValue());
        }
        return result;
    }

    private static List<SignerPin> signerPins(JsonNode node, String source) throws PolicyException {
        List<SignerPin> pins = new ArrayList<>();
        for (JsonNode entry : listOfMappings(node, "signers", source)) {
            String at = "signers[" + pins.size() + "]";
            requireOnly(entry, Set.of("files", "thumbprints", "issuers", "roots"), source, at);
            try {
                FileGlob files = FileGlob.parse(text(entry, "files", source, at));
                Set<String> thumbprints = new java.util.HashSet<>();
                for (String t : texts(entry, "thumbprints", source, at)) {
                    thumbprints.add(SignerPin.normaliseThumbprint(t));
                }
                List<javax.security.auth.x500.X500Principal> issuers = new ArrayList<>();
                for (String dn : texts(entry, "issuers", source, at)) {
                    issuers.add(new javax.security.auth.x500.X500Principal(dn));
                }
                Set<String> roots = new java.util.HashSet<>();
                for (String t : texts(entry, "roots", source, at)) {
                    roots.add(SignerPin.normaliseThumbprint(t));
                }
                pins.add(new SignerPin(files, thumbprints, issuers, roots));
            } catch (IllegalArgumentException e) {
                throw new PolicyException(source + ": " + at + ": " + e.getMessage());
            }
        }
        return pins;
    }

    private static List<Allowance> allowances(JsonNode node, String source) throws PolicyException {
        List<Allowance> result = new ArrayList<>();
        for (JsonNode entry : listOfMappings(node, "allow", source)) {
            String at = "allow[" + result.size() + "]";
            requireOnly(entry, Set.of("code", "files", "reason", "expires"), source, at);
            String code = text(entry, "code", source, at);
            if (!CODE.matcher(code).matches() && !CODE_FAMILY.matcher(code).matches()) {
                throw new PolicyException(source + ": " + at + ".code: '" + code + "' is not a finding code");
            }
            PolicyCodes.requireKnown(code, source, at + ".code");
            String expires = text(entry, "expires", source, at);
            try {
                result.add(new Allowance(
                        code,
                        FileGlob.parse(text(entry, "files", source, at)),
                        text(entry, "reason", source, at),
                        java.time.LocalDate.parse(expires)));
            } catch (java.time.format.DateTimeParseException e) {
                throw new PolicyException(
                        source + ": " + at + ".expires: '" + expires + "' is not a date (YYYY-MM-DD)");
            } catch (IllegalArgumentException e) {
                throw new PolicyException(source + ": " + at + ": " + e.getMessage());
            }
        }
        return result;
    }

    private static List<JsonNode> listOfMappings(JsonNode node, String key, String source) throws PolicyException {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new PolicyException(source + ": '" + key + "' must be a list of mappings");
        }
        List<JsonNode> entries = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isObject()) {
                throw new PolicyException(
                        source + ": " + key + "[" + i + "] must be a mapping, found " + describe(node.get(i)));
            }
            entries.add(node.get(i));
        }
        return entries;
    }

    private static void requireOnly(JsonNode entry, Set<String> keys, String source, String at) throws PolicyException {
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new PolicyException(source + ": " + at + ": unknown key '" + key + "' (expected "
                        + String.join(", ", new java.util.TreeSet<>(keys)) + ")");
            }
        }
    }

    private static String text(JsonNode entry, String key, String source, String at) throws PolicyException {
        JsonNode v = entry.path(key);
        if (!v.isTextual() && !v.isNumber()) {
            throw new PolicyException(source + ": " + at + "." + key + ": expected text, found "
                    + (v.isMissingNode() ? "nothing" : describe(v)));
        }
        return v.asText();
    }

    private static List<String> texts(JsonNode entry, String key, String source, String at) throws PolicyException {
        JsonNode v = entry.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new PolicyException(source + ": " + at + "." + key + ": expected a list, found " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new PolicyException(
                        source + ": " + at + "." + key + "[" + i + "]: expected text, found " + describe(v.get(i)));
            }
            out.add(v.get(i).textValue());
        }
        return out;
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
     * The report of {@code vetting} under this policy: its files and diff, its findings rated by this policy, the
     * verdict and the reasons for it. Pure: the same vetting can be decided again under another policy.
     */
    public Report decide(Vetting vetting) {
        Decision decision = decide(vetting.files(), vetting.findings());
        return new Report(
                vetting.toolVersion(),
                decision.verdict(),
                vetting.files(),
                decision.findings(),
                decision.reasons(),
                vetting.diff());
    }

    /**
     * Applies this policy: the findings with their policy severities (most severe first, then by path and code), the
     * verdict, and one reason line per finding code that made the verdict stricter than allow.
     */
    public Decision decide(List<Finding> findings) {
        return decide(List.of(), findings);
    }

    /**
     * Applies this policy to a release: signer pins are checked against {@code files}, then severities are assigned,
     * allowances lower what they cover, and the verdict follows.
     */
    public Decision decide(List<FileRecord> files, List<Finding> findings) {
        List<Finding> all = new ArrayList<>(findings);
        for (FileRecord file : files) {
            for (SignerPin pin : signers) {
                pin.check(file).ifPresent(all::add);
            }
        }
        LocalDate today = LocalDate.now(clock);
        List<Allowance> live = new ArrayList<>();
        for (Allowance a : allowances) {
            if (a.expiredOn(today)) {
                all.add(Finding.of(
                        FindingCode.POLICY_ALLOWANCE_EXPIRED,
                        a.files().pattern(),
                        "the policy's allowance of " + a.code() + " for "
                                + a.files().pattern() + " expired on " + a.expires() + " (" + a.reason()
                                + "); review it",
                        Map.of("code", a.code(), "expires", a.expires().toString(), "reason", a.reason())));
            } else {
                live.add(a);
            }
        }
        List<Finding> rated = new ArrayList<>(all.size());
        for (Finding f : all) {
            Severity s = severityOf(f.code(), f.severity());
            Finding r = s == f.severity() ? f : f.withSeverity(s);
            for (Allowance a : live) {
                if (a.covers(r)) {
                    r = a.apply(r);
                    break;
                }
            }
            rated.add(r);
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
