package dev.tollgate.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Hashes;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.NpmPackageRecord;
import dev.tollgate.model.PeSummary;
import dev.tollgate.model.SectionInfo;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import dev.tollgate.report.JsonOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One scan cache entry on disk: a JSON object naming its key, then the records of one top-level file. Every field of
 * {@link FileRecord} is kept at full precision, so a record read back equals the record written.
 *
 * <pre>
 * { "format": "tollgate-scan-cache/2", "context": hex, "name": "ffmpeg.dll", "sha256": hex, "size": 123,
 *   "files": [ { "path": "", "size": 123, "sha256": …, "sha1": …, "md5": …, "type": "pe", "entropy": 6.1,
 *                "signatures": [ … ], "indicators": { … }, "pe": { … }, "referencedFiles": [ … ],
 *                "npmPackages": [ { "name", "version", "path" } ] }, … ] }
 * </pre>
 *
 * Reading is strict: exactly these fields with these types, no duplicates, nothing after the object, the key fields
 * equal to the key asked for, the first record the file itself with the key's hash and size. Anything else is an
 * {@link InvalidEntryException}, and the whole entry is rejected.
 */
final class ScanCacheEntry {

    /** Changes whenever the layout or the meaning of a field changes; older entries then miss. */
    static final String FORMAT = "tollgate-scan-cache/2";

    /** Records per entry: a container with more files than this is not worth a cache entry. */
    static final int MAX_RECORDS = 200_000;

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private static final ObjectMapper READER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(16)
                            .maxStringLength(1 << 20)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ScanCacheEntry() {}

    /** Why an entry cannot be used, in one line. */
    static final class InvalidEntryException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidEntryException(String message) {
            super(message);
        }
    }

    /**
     * The entry for {@code key} holding {@code records} (relative paths, the first {@code ""}).
     *
     * @throws IllegalArgumentException when the records cannot be an entry (not relative, not finite, too many)
     */
    static byte[] write(ScanCache.Key key, List<FileRecord> records) {
        requireCacheable(key, records);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeStringField("context", key.context());
            g.writeStringField("name", key.name());
            g.writeStringField("sha256", key.sha256());
            g.writeNumberField("size", key.size());
            g.writeArrayFieldStart("files");
            for (FileRecord r : records) {
                writeRecord(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static void requireCacheable(ScanCache.Key key, List<FileRecord> records) {
        if (records.isEmpty() || records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("an entry holds 1 to " + MAX_RECORDS + " records: " + records.size());
        }
        FileRecord top = records.getFirst();
        if (!top.path().isEmpty() || !top.hashes().sha256().equals(key.sha256()) || top.size() != key.size()) {
            throw new IllegalArgumentException("the first record is not the file of the key: " + top.path());
        }
        for (FileRecord r : records.subList(1, records.size())) {
            if (!r.path().startsWith("!")) {
                throw new IllegalArgumentException("an inner record's path must start with '!': " + r.path());
            }
            for (SectionInfo s : r.pe().map(PeSummary::sections).orElse(List.of())) {
                if (!Double.isFinite(s.entropy())) {
                    throw new IllegalArgumentException("section entropy is not finite: " + r.path());
                }
            }
        }
        top.pe().ifPresent(pe -> pe.sections().forEach(s -> {
            if (!Double.isFinite(s.entropy())) {
                throw new IllegalArgumentException("section entropy is not finite in the top-level file");
            }
        }));
    }

    private static void writeRecord(JsonGenerator g, FileRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("path", r.path());
        g.writeNumberField("size", r.size());
        g.writeStringField("sha256", r.hashes().sha256());
        g.writeStringField("sha1", r.hashes().sha1());
        g.writeStringField("md5", r.hashes().md5());
        g.writeStringField("type", r.type());
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
            PeSummary pe = r.pe().get();
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
                g.writeNumberField("characteristics", s.characteristics());
                g.writeBooleanField("executable", s.executable());
                g.writeNumberField("entropy", s.entropy());
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
        } else {
            g.writeNullField("pe");
        }
        JsonOutput.writeStrings(g, "referencedFiles", r.referencedFiles());
        JsonOutput.writeNpmPackages(g, r.npmPackages());
        g.writeEndObject();
    }

    /**
     * The records of the entry {@code bytes}, which must be the entry for {@code key}.
     *
     * @throws InvalidEntryException naming the first thing that is wrong
     */
    static List<FileRecord> read(byte[] bytes, ScanCache.Key key) throws InvalidEntryException {
        JsonNode root;
        try {
            root = READER.readTree(bytes);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new InvalidEntryException("not valid JSON (" + oneLine(String.valueOf(why)) + ")");
        } catch (NumberFormatException e) {
            // Jackson's BigDecimal parsing throws this unwrapped for an exponent beyond an int (4.6e5330455369).
            throw new InvalidEntryException("not valid JSON (" + oneLine(String.valueOf(e.getMessage())) + ")");
        }
        try {
            return records(root, key);
        } catch (IllegalArgumentException | NullPointerException e) {
            // The model's compact constructors reject what the field checks let through (bad hex, negative sizes).
            throw new InvalidEntryException("invalid record: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static List<FileRecord> records(JsonNode root, ScanCache.Key key) throws InvalidEntryException {
        fields(root, "entry", Set.of("format", "context", "name", "sha256", "size", "files"));
        String format = text(root, "format");
        if (!format.equals(FORMAT)) {
            throw new InvalidEntryException("format " + format + ", expected " + FORMAT);
        }
        if (!text(root, "context").equals(key.context())
                || !text(root, "name").equals(key.name())
                || !text(root, "sha256").equals(key.sha256())
                || number(root, "size") != key.size()) {
            throw new InvalidEntryException("written for another file or another Tollgate build");
        }
        JsonNode files = array(root, "files");
        if (files.isEmpty() || files.size() > MAX_RECORDS) {
            throw new InvalidEntryException("holds " + files.size() + " records, expected 1 to " + MAX_RECORDS);
        }
        List<FileRecord> records = new ArrayList<>(files.size());
        for (JsonNode node : files) {
            records.add(record(node));
        }
        FileRecord top = records.getFirst();
        if (!top.path().isEmpty() || !top.hashes().sha256().equals(key.sha256()) || top.size() != key.size()) {
            throw new InvalidEntryException("its first record is not the file " + key.name());
        }
        for (FileRecord r : records.subList(1, records.size())) {
            if (!r.path().startsWith("!")) {
                throw new InvalidEntryException("inner record path does not start with '!': " + oneLine(r.path()));
            }
        }
        return List.copyOf(records);
    }

    private static FileRecord record(JsonNode node) throws InvalidEntryException {
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
                text(node, "type"),
                decimal(node, "entropy"),
                signatures,
                indicators,
                summary,
                strings(node, "referencedFiles"),
                npmPackages(node));
    }

    private static List<NpmPackageRecord> npmPackages(JsonNode node) throws InvalidEntryException {
        List<NpmPackageRecord> packages = new ArrayList<>();
        for (JsonNode p : array(node, "npmPackages")) {
            fields(p, "npm package", Set.of("name", "version", "path"));
            packages.add(new NpmPackageRecord(text(p, "name"), text(p, "version"), text(p, "path")));
        }
        return packages;
    }

    private static SignatureInfo signature(JsonNode s) throws InvalidEntryException {
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
            throw new InvalidEntryException("unknown signature status: " + oneLine(statusLabel));
        }
        String signingTime = text(s, "signingTime");
        Optional<Instant> time;
        try {
            time = signingTime.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(signingTime));
        } catch (DateTimeParseException e) {
            throw new InvalidEntryException("signingTime is not an instant: " + oneLine(signingTime));
        }
        String authority = text(s, "timestampAuthority");
        Optional<String> tsa = bool(s, "hasTimestampAuthority") ? Optional.of(authority) : Optional.empty();
        long nested = number(s, "nested");
        if (nested < 0 || nested > Integer.MAX_VALUE) {
            throw new InvalidEntryException("nested out of range: " + nested);
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

    private static PeSummary pe(JsonNode pe) throws InvalidEntryException {
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
                throw new InvalidEntryException("version." + oneLine(e.getKey()) + " is not a string");
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
    private static void fields(JsonNode node, String what, Set<String> names) throws InvalidEntryException {
        if (!node.isObject()) {
            throw new InvalidEntryException(what + " is not an object");
        }
        for (String name : names) {
            if (!node.has(name)) {
                throw new InvalidEntryException(what + " lacks " + name);
            }
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new InvalidEntryException(what + " has an unknown field " + oneLine(name));
            }
        }
    }

    private static String text(JsonNode node, String field) throws InvalidEntryException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new InvalidEntryException(field + " is not a string");
        }
        return v.asText();
    }

    private static long number(JsonNode node, String field) throws InvalidEntryException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidEntryException(field + " is not an integer");
        }
        return v.asLong();
    }

    private static double decimal(JsonNode node, String field) throws InvalidEntryException {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            throw new InvalidEntryException(field + " is not a number");
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw new InvalidEntryException(field + " is not finite");
        }
        return d;
    }

    private static boolean bool(JsonNode node, String field) throws InvalidEntryException {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            throw new InvalidEntryException(field + " is not a boolean");
        }
        return v.asBoolean();
    }

    private static JsonNode object(JsonNode node, String field) throws InvalidEntryException {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw new InvalidEntryException(field + " is not an object");
        }
        return v;
    }

    private static JsonNode array(JsonNode node, String field) throws InvalidEntryException {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new InvalidEntryException(field + " is not an array");
        }
        return v;
    }

    private static List<String> strings(JsonNode node, String field) throws InvalidEntryException {
        List<String> values = new ArrayList<>();
        for (JsonNode v : array(node, field)) {
            if (!v.isTextual()) {
                throw new InvalidEntryException(field + " holds a non-string");
            }
            values.add(v.asText());
        }
        return values;
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("[\\p{Cntrl}]", " ");
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
