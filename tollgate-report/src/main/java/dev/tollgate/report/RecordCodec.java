package dev.tollgate.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.model.ChangeKind;
import dev.tollgate.model.DiffSection;
import dev.tollgate.model.FileChange;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Hashes;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.NpmPackageRecord;
import dev.tollgate.model.PeSummary;
import dev.tollgate.model.SectionInfo;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import dev.tollgate.model.Vetting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one lossless JSON form of Tollgate's records, for whoever stores them and reads them back: the scan cache, a
 * server's database. Every field of {@link FileRecord} is kept at full precision, so a record read back equals the
 * record written; a {@link Vetting} (records, findings with their own severities, the diff) likewise. The JSON report
 * ({@link ReportWriter#json()}) is the other form: the contract for people and tools, rounded and abridged.
 *
 * <pre>
 * record:  { "path": "", "size": 123, "sha256": …, "sha1": …, "md5": …, "type": "pe", "entropy": 6.1,
 *            "signatures": [ … ], "indicators": { … }, "pe": { … } or null, "referencedFiles": [ … ],
 *            "npmPackages": [ { "name", "version", "path" } ] }
 * vetting: { "format": "tollgate-vetting/1", "toolVersion": "…", "files": [ record… ],
 *            "findings": [ { "code", "severity", "path", "message", "evidence": { … } } ],
 *            "diff": null or { "previous": [ root… ], "changes": [ { "kind", "key", "previous": record or null,
 *                                                                      "nextPath": path or null } ] } }
 * </pre>
 *
 * Reading is strict: exactly these fields with these types, no duplicate keys, nothing after the value; anything else
 * is a {@link MalformedRecordException} naming the first thing that is wrong. Thread-safe.
 */
public final class RecordCodec {

    /** The vetting layout's name; changes whenever the layout or the meaning of a field changes. */
    public static final String VETTING_FORMAT = "tollgate-vetting/1";

    /** Records or findings in one vetting: more than any release this tool would vet in full. */
    public static final int MAX_ITEMS = 1_000_000;

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** A strict reader for stored records: bounded nesting and strings, no duplicates, no trailing data. */
    public static final ObjectMapper READER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(1 << 20)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private RecordCodec() {}

    /** Stored records cannot be read: the message names the first field that is wrong, in one line. */
    public static final class MalformedRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedRecordException(String message) {
            super(message);
        }
    }

    /**
     * One record from its JSON object.
     *
     * @throws MalformedRecordException when a field is missing, unknown, of the wrong type, or refused by the model
     */
    public static FileRecord read(JsonNode node) throws MalformedRecordException {
        try {
            return recordFields(node);
        } catch (IllegalArgumentException | NullPointerException e) {
            // The model's compact constructors reject what the field checks let through (bad hex, negative sizes).
            throw new MalformedRecordException("invalid record: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** {@code vetting} in the layout above, UTF-8. */
    public static byte[] writeVetting(Vetting vetting) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("format", VETTING_FORMAT);
            g.writeStringField("toolVersion", vetting.toolVersion());
            g.writeArrayFieldStart("files");
            for (FileRecord r : vetting.files()) {
                write(g, r);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("findings");
            for (Finding f : vetting.findings()) {
                g.writeStartObject();
                g.writeStringField("code", f.code());
                g.writeStringField("severity", f.severity().label());
                g.writeStringField("path", f.path());
                g.writeStringField("message", f.message());
                g.writeFieldName("evidence");
                JsonOutput.writeValue(g, f.evidence());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (vetting.diff().isPresent()) {
                DiffSection diff = vetting.diff().get();
                g.writeObjectFieldStart("diff");
                JsonOutput.writeStrings(g, "previous", diff.previous());
                g.writeArrayFieldStart("changes");
                for (FileChange c : diff.changes()) {
                    g.writeStartObject();
                    g.writeStringField("kind", c.kind().label());
                    g.writeStringField("key", c.key());
                    g.writeFieldName("previous");
                    if (c.previous().isPresent()) {
                        write(g, c.previous().get());
                    } else {
                        g.writeNull();
                    }
                    // The new side is one of the vetting's files: named, not repeated.
                    if (c.next().isPresent()) {
                        g.writeStringField("nextPath", c.next().get().path());
                    } else {
                        g.writeNullField("nextPath");
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            } else {
                g.writeNullField("diff");
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * The vetting stored as {@code bytes} by {@link #writeVetting}.
     *
     * @throws MalformedRecordException naming the first thing that is wrong
     */
    public static Vetting readVetting(byte[] bytes) throws MalformedRecordException {
        JsonNode root;
        try {
            root = READER.readTree(bytes);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new MalformedRecordException("not valid JSON (" + oneLine(String.valueOf(why)) + ")");
        }
        try {
            return vetting(root);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedRecordException("invalid vetting: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static Vetting vetting(JsonNode root) throws MalformedRecordException {
        fields(root, "vetting", Set.of("format", "toolVersion", "files", "findings", "diff"));
        String format = text(root, "format");
        if (!format.equals(VETTING_FORMAT)) {
            throw new MalformedRecordException("format " + oneLine(format) + ", expected " + VETTING_FORMAT);
        }
        JsonNode fileNodes = array(root, "files");
        JsonNode findingNodes = array(root, "findings");
        if (fileNodes.size() > MAX_ITEMS || findingNodes.size() > MAX_ITEMS) {
            throw new MalformedRecordException("more than " + MAX_ITEMS + " files or findings");
        }
        List<FileRecord> files = new ArrayList<>(fileNodes.size());
        Map<String, FileRecord> byPath = new HashMap<>();
        for (JsonNode node : fileNodes) {
            FileRecord r = read(node);
            files.add(r);
            byPath.putIfAbsent(r.path(), r);
        }
        List<Finding> findings = new ArrayList<>(findingNodes.size());
        for (JsonNode f : findingNodes) {
            fields(f, "finding", Set.of("code", "severity", "path", "message", "evidence"));
            findings.add(new Finding(
                    text(f, "code"),
                    severity(text(f, "severity")),
                    text(f, "path"),
                    text(f, "message"),
                    evidence(object(f, "evidence"))));
        }
        JsonNode diffNode = root.get("diff");
        Optional<DiffSection> diff = Optional.empty();
        if (!diffNode.isNull()) {
            fields(diffNode, "diff", Set.of("previous", "changes"));
            List<FileChange> changes = new ArrayList<>();
            JsonNode changeNodes = array(diffNode, "changes");
            if (changeNodes.size() > MAX_ITEMS) {
                throw new MalformedRecordException("more than " + MAX_ITEMS + " changes");
            }
            for (JsonNode c : changeNodes) {
                fields(c, "change", Set.of("kind", "key", "previous", "nextPath"));
                Optional<FileRecord> previous =
                        c.get("previous").isNull() ? Optional.empty() : Optional.of(read(c.get("previous")));
                Optional<FileRecord> next = Optional.empty();
                if (!c.get("nextPath").isNull()) {
                    String path = text(c, "nextPath");
                    next = Optional.ofNullable(byPath.get(path));
                    if (next.isEmpty()) {
                        throw new MalformedRecordException("a change names a file the vetting lacks: " + oneLine(path));
                    }
                }
                changes.add(new FileChange(changeKind(text(c, "kind")), text(c, "key"), previous, next));
            }
            diff = Optional.of(new DiffSection(strings(diffNode, "previous"), changes));
        }
        return new Vetting(text(root, "toolVersion"), files, findings, diff);
    }

    private static Severity severity(String label) throws MalformedRecordException {
        for (Severity s : Severity.values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new MalformedRecordException("unknown severity: " + oneLine(label));
    }

    private static ChangeKind changeKind(String label) throws MalformedRecordException {
        for (ChangeKind k : ChangeKind.values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        throw new MalformedRecordException("unknown change kind: " + oneLine(label));
    }

    /** A finding's evidence: strings, whole numbers, decimals, booleans, and lists and mappings of them; no null. */
    private static Map<String, Object> evidence(JsonNode node) throws MalformedRecordException {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            map.put(e.getKey(), evidenceValue(e.getValue(), e.getKey()));
        }
        return map;
    }

    private static Object evidenceValue(JsonNode v, String key) throws MalformedRecordException {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.canConvertToInt() ? (Object) v.asInt() : (Object) v.asLong();
        }
        if (v.isNumber() && Double.isFinite(v.asDouble())) {
            return v.asDouble();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>(v.size());
            for (JsonNode item : v) {
                list.add(evidenceValue(item, key));
            }
            return List.copyOf(list);
        }
        if (v.isObject()) {
            return Map.copyOf(evidence(v));
        }
        throw new MalformedRecordException("evidence " + oneLine(key) + " holds a value that is not allowed");
    }

    public static void write(JsonGenerator g, FileRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("path", r.path());
        g.writeNumberField("size", r.size());
        g.writeStringField("sha256", r.hashes().sha256());
        g.writeStringField("sha1", r.hashes().sha1());
        g.writeStringField("md5", r.hashes().md5());
        g.writeStringField("type", r.type().label());
        g.writeNumberField("entropy", r.entropy());
        g.writeArrayFieldStart("signatures");
        for (SignatureInfo s : r.signatures()) {
            g.writeStartObject();
            g.writeStringField("kind", s.kind());
            g.writeStringField("status", s.status().label());
            g.writeStringField("signer", s.signer());
            g.writeStringField("issuer", s.issuer());
            g.writeStringField("serial", s.serial());
            g.writeStringField("thumbprintSha256", s.thumbprintSha256());
            g.writeStringField("thumbprintSha1", s.thumbprintSha1());
            g.writeStringField("rootThumbprintSha256", s.rootThumbprintSha256());
            g.writeStringField("digestAlgorithm", s.digestAlgorithm());
            g.writeStringField(
                    "signingTime", s.signingTime().map(Instant::toString).orElse(""));
            g.writeStringField("timestampAuthority", s.timestampAuthority().orElse(""));
            g.writeBooleanField("hasTimestampAuthority", s.timestampAuthority().isPresent());
            g.writeNumberField("nested", s.nested());
            JsonOutput.writeStrings(g, "problems", s.problems());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("indicators");
        JsonOutput.writeStrings(g, "urls", r.indicators().urls());
        JsonOutput.writeStrings(g, "domains", r.indicators().domains());
        JsonOutput.writeStrings(g, "ips", r.indicators().ips());
        g.writeEndObject();
        if (r.pe().isPresent()) {
            writePe(g, r.pe().get(), true);
        } else {
            g.writeNullField("pe");
        }
        JsonOutput.writeStrings(g, "referencedFiles", r.referencedFiles());
        JsonOutput.writeNpmPackages(g, r.npmPackages());
        g.writeEndObject();
    }

    /**
     * The {@code pe} object of a record: in the lossless form (section characteristics as a number, entropies at full
     * precision), or as the JSON report shows it (characteristics as {@code 0x} hex, entropies rounded). One writer,
     * so that the two forms keep the same fields in the same order.
     */
    static void writePe(JsonGenerator g, PeSummary pe, boolean lossless) throws IOException {
        g.writeObjectFieldStart("pe");
        g.writeStringField("machine", pe.machine());
        g.writeBooleanField("pe32Plus", pe.pe32Plus());
        g.writeBooleanField("dll", pe.dll());
        g.writeNumberField("timeDateStamp", pe.timeDateStamp());
        g.writeArrayFieldStart("sections");
        for (SectionInfo s : pe.sections()) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeNumberField("virtualSize", s.virtualSize());
            g.writeNumberField("rawSize", s.rawSize());
            if (lossless) {
                g.writeNumberField("characteristics", s.characteristics());
            } else {
                g.writeStringField("characteristics", "0x" + HexFormat.of().toHexDigits((int) s.characteristics()));
            }
            g.writeBooleanField("executable", s.executable());
            if (lossless) {
                g.writeNumberField("entropy", s.entropy());
            } else {
                g.writeFieldName("entropy");
                JsonOutput.writeRounded(g, s.entropy());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        JsonOutput.writeStrings(g, "imports", pe.imports());
        JsonOutput.writeStrings(g, "exports", pe.exports());
        g.writeObjectFieldStart("version");
        for (Map.Entry<String, String> e : new TreeMap<>(pe.version()).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("overlaySize", pe.overlaySize());
        g.writeEndObject();
    }

    private static FileRecord recordFields(JsonNode node) throws MalformedRecordException {
        fields(
                node,
                "file",
                Set.of(
                        "path",
                        "size",
                        "sha256",
                        "sha1",
                        "md5",
                        "type",
                        "entropy",
                        "signatures",
                        "indicators",
                        "pe",
                        "referencedFiles",
                        "npmPackages"));
        List<SignatureInfo> signatures = new ArrayList<>();
        for (JsonNode s : array(node, "signatures")) {
            signatures.add(signature(s));
        }
        JsonNode ind = object(node, "indicators");
        fields(ind, "indicators", Set.of("urls", "domains", "ips"));
        NetworkIndicators indicators =
                new NetworkIndicators(strings(ind, "urls"), strings(ind, "domains"), strings(ind, "ips"));
        JsonNode pe = node.get("pe");
        Optional<PeSummary> summary = pe.isNull() ? Optional.empty() : Optional.of(pe(object(node, "pe")));
        return new FileRecord(
                text(node, "path"),
                number(node, "size"),
                new Hashes(text(node, "sha256"), text(node, "sha1"), text(node, "md5")),
                fileType(text(node, "type")),
                decimal(node, "entropy"),
                signatures,
                indicators,
                summary,
                strings(node, "referencedFiles"),
                npmPackages(node));
    }

    private static FileType fileType(String label) throws MalformedRecordException {
        Optional<FileType> type = FileType.fromLabel(label);
        if (type.isEmpty()) {
            throw new MalformedRecordException("unknown file type: " + oneLine(label));
        }
        return type.get();
    }

    private static List<NpmPackageRecord> npmPackages(JsonNode node) throws MalformedRecordException {
        List<NpmPackageRecord> packages = new ArrayList<>();
        for (JsonNode p : array(node, "npmPackages")) {
            fields(p, "npm package", Set.of("name", "version", "path"));
            packages.add(new NpmPackageRecord(text(p, "name"), text(p, "version"), text(p, "path")));
        }
        return packages;
    }

    private static SignatureInfo signature(JsonNode s) throws MalformedRecordException {
        fields(
                s,
                "signature",
                Set.of(
                        "kind",
                        "status",
                        "signer",
                        "issuer",
                        "serial",
                        "thumbprintSha256",
                        "thumbprintSha1",
                        "rootThumbprintSha256",
                        "digestAlgorithm",
                        "signingTime",
                        "timestampAuthority",
                        "hasTimestampAuthority",
                        "nested",
                        "problems"));
        String statusLabel = text(s, "status");
        SignatureStatus status = null;
        for (SignatureStatus candidate : SignatureStatus.values()) {
            if (candidate.label().equals(statusLabel)) {
                status = candidate;
            }
        }
        if (status == null) {
            throw new MalformedRecordException("unknown signature status: " + oneLine(statusLabel));
        }
        String signingTime = text(s, "signingTime");
        Optional<Instant> time;
        try {
            time = signingTime.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(signingTime));
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException("signingTime is not an instant: " + oneLine(signingTime));
        }
        String authority = text(s, "timestampAuthority");
        Optional<String> tsa = bool(s, "hasTimestampAuthority") ? Optional.of(authority) : Optional.empty();
        long nested = number(s, "nested");
        if (nested < 0 || nested > Integer.MAX_VALUE) {
            throw new MalformedRecordException("nested out of range: " + nested);
        }
        return new SignatureInfo(
                text(s, "kind"),
                status,
                text(s, "signer"),
                text(s, "issuer"),
                text(s, "serial"),
                text(s, "thumbprintSha256"),
                text(s, "digestAlgorithm"),
                time,
                tsa,
                (int) nested,
                strings(s, "problems"),
                text(s, "thumbprintSha1"),
                text(s, "rootThumbprintSha256"));
    }

    private static PeSummary pe(JsonNode pe) throws MalformedRecordException {
        fields(
                pe,
                "pe",
                Set.of(
                        "machine",
                        "pe32Plus",
                        "dll",
                        "timeDateStamp",
                        "sections",
                        "imports",
                        "exports",
                        "version",
                        "overlaySize"));
        List<SectionInfo> sections = new ArrayList<>();
        for (JsonNode s : array(pe, "sections")) {
            fields(s, "section", Set.of("name", "virtualSize", "rawSize", "characteristics", "executable", "entropy"));
            sections.add(new SectionInfo(
                    text(s, "name"),
                    number(s, "virtualSize"),
                    number(s, "rawSize"),
                    number(s, "characteristics"),
                    bool(s, "executable"),
                    decimal(s, "entropy")));
        }
        JsonNode versionNode = object(pe, "version");
        Map<String, String> version = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : versionNode.properties()) {
            if (!e.getValue().isTextual()) {
                throw new MalformedRecordException("version." + oneLine(e.getKey()) + " is not a string");
            }
            version.put(e.getKey(), e.getValue().asText());
        }
        return new PeSummary(
                text(pe, "machine"),
                bool(pe, "pe32Plus"),
                bool(pe, "dll"),
                number(pe, "timeDateStamp"),
                sections,
                strings(pe, "imports"),
                strings(pe, "exports"),
                version,
                number(pe, "overlaySize"));
    }

    /** Exactly {@code names}, no more, no fewer. */
    public static void fields(JsonNode node, String what, Set<String> names) throws MalformedRecordException {
        if (!node.isObject()) {
            throw new MalformedRecordException(what + " is not an object");
        }
        for (String name : names) {
            if (!node.has(name)) {
                throw new MalformedRecordException(what + " lacks " + name);
            }
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new MalformedRecordException(what + " has an unknown field " + oneLine(name));
            }
        }
    }

    public static String text(JsonNode node, String field) throws MalformedRecordException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new MalformedRecordException(field + " is not a string");
        }
        return v.asText();
    }

    public static long number(JsonNode node, String field) throws MalformedRecordException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new MalformedRecordException(field + " is not an integer");
        }
        return v.asLong();
    }

    private static double decimal(JsonNode node, String field) throws MalformedRecordException {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            throw new MalformedRecordException(field + " is not a number");
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw new MalformedRecordException(field + " is not finite");
        }
        return d;
    }

    private static boolean bool(JsonNode node, String field) throws MalformedRecordException {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            throw new MalformedRecordException(field + " is not a boolean");
        }
        return v.asBoolean();
    }

    private static JsonNode object(JsonNode node, String field) throws MalformedRecordException {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw new MalformedRecordException(field + " is not an object");
        }
        return v;
    }

    public static JsonNode array(JsonNode node, String field) throws MalformedRecordException {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new MalformedRecordException(field + " is not an array");
        }
        return v;
    }

    private static List<String> strings(JsonNode node, String field) throws MalformedRecordException {
        List<String> values = new ArrayList<>();
        for (JsonNode v : array(node, field)) {
            if (!v.isTextual()) {
                throw new MalformedRecordException(field + " holds a non-string");
            }
            values.add(v.asText());
        }
        return values;
    }

    public static String oneLine(String s) {
        String line = s.replaceAll("[\\p{Cntrl}]", " ");
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
