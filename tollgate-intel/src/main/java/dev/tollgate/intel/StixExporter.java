package dev.tollgate.intel;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Report;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes what a scan found as a STIX 2.1 bundle (STIX 2.1 section 8), for sharing with peers and an ISAC:
 *
 * <ul>
 *   <li>an {@code identity} (section 4.5) for the exporting organization, the creator of everything else;
 *   <li>every vetted file as a {@code file} observable (section 6.7) with SHA-256, SHA-1 and MD5, name and size, its
 *       id a UUIDv5 of its ID-contributing properties (section 2.9: {@code hashes} reduced to MD5, and {@code name});
 *   <li>for each file with intel findings, an {@code observed-data} (section 4.14) referring to the file;
 *   <li>for each matched indicator, a {@code sighting} (section 5.2) of it, observed in that observed-data, sighted by
 *       the identity. An indicator from a STIX feed is referred to by its id; one from a MISP or CSV feed has no STIX
 *       id, so an {@code indicator} (section 4.7) is written for it, its id a UUIDv5 of its type and value.
 * </ul>
 *
 * Identifiers are derived from content and the export time, so the same scan exported at the same time gives the same
 * bundle. Timestamps are RFC 3339 UTC with milliseconds (section 3.2).
 */
public final class StixExporter {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String identityName;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param identityName the exporting organization, as peers should see it
     * @param clock the time of the sightings
     */
    public StixExporter(String identityName, Clock clock) {
        Objects.requireNonNull(identityName, "identityName");
        if (identityName.isBlank()) {
            throw new IllegalArgumentException("identity name cannot be blank");
        }
        this.identityName = identityName;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Writes the bundle as UTF-8 JSON; does not close {@code out}. */
    public void write(Report report, OutputStream out) throws IOException {
        mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, bundle(report));
    }

    /** Writes the bundle as JSON text; does not close {@code out}. */
    public void write(Report report, Writer out) throws IOException {
        mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, bundle(report));
    }

    /** The bundle as a JSON tree. */
    public ObjectNode bundle(Report report) {
        String now = TIMESTAMP.format(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        Map<String, ObjectNode> objects = new LinkedHashMap<>();

        String identityId = StixIds.id("identity", StixIds.TOLLGATE_NAMESPACE, "identity|" + identityName);
        ObjectNode identity = sdo("identity", identityId, now);
        identity.put("name", identityName);
        identity.put("identity_class", "organization");
        objects.put(identityId, identity);

        Map<String, String> fileIds = new HashMap<>();
        for (FileRecord file : report.files()) {
            ObjectNode sco = fileObject(file);
            fileIds.put(file.path(), sco.get("id").asText());
            objects.putIfAbsent(sco.get("id").asText(), sco);
        }

        Map<String, String> observedIds = new HashMap<>();
        Set<String> sightings = new LinkedHashSet<>();
        for (Finding finding : report.findings()) {
            if (!IntelAnalyzer.CODES.contains(finding.code()) || !fileIds.containsKey(finding.path())) {
                continue;
            }
            String fileId = fileIds.get(finding.path());
            String observedId = observedIds.computeIfAbsent(finding.path(), path -> {
                String id = StixIds.id("observed-data", StixIds.TOLLGATE_NAMESPACE, "observed|" + fileId + "|" + now);
                ObjectNode observed = sdo("observed-data", id, now);
                observed.put("created_by_ref", identityId);
                observed.put("first_observed", now);
                observed.put("last_observed", now);
                observed.put("number_observed", 1);
                observed.putArray("object_refs").add(fileId);
                objects.put(id, observed);
                return id;
            });
            String indicatorId = indicatorRef(finding, now, identityId, objects);
            if (!sightings.add(indicatorId + "|" + fileId)) {
                continue;
            }
            String sightingId = StixIds.id(
                    "sighting", StixIds.TOLLGATE_NAMESPACE, "sighting|" + indicatorId + "|" + fileId + "|" + now);
            ObjectNode sighting = sdo("sighting", sightingId, now);
            sighting.put("created_by_ref", identityId);
            sighting.put("description", finding.message());
            sighting.put("first_seen", now);
            sighting.put("last_seen", now);
            sighting.put("count", 1);
            sighting.put("sighting_of_ref", indicatorId);
            sighting.putArray("observed_data_refs").add(observedId);
            sighting.putArray("where_sighted_refs").add(identityId);
            objects.put(sightingId, sighting);
        }

        ObjectNode bundle = mapper.createObjectNode();
        bundle.put("type", "bundle");
        bundle.put(
                "id", StixIds.id("bundle", StixIds.TOLLGATE_NAMESPACE, String.join("|", objects.keySet()) + "|" + now));
        ArrayNode array = bundle.putArray("objects");
        objects.values().forEach(array::add);
        return bundle;
    }

    private ObjectNode fileObject(FileRecord file) {
        String path = file.path();
        String name = path.substring(
                Math.max(path.lastIndexOf('/'), Math.max(path.lastIndexOf('!'), path.lastIndexOf('\\'))) + 1);
        String contributing = "{\"hashes\":{\"MD5\":"
                + StixIds.canonicalString(file.hashes().md5()) + "},\"name\":" + StixIds.canonicalString(name) + "}";
        ObjectNode sco = mapper.createObjectNode();
        sco.put("type", "file");
        sco.put("spec_version", "2.1");
        sco.put("id", StixIds.id("file", StixIds.SCO_NAMESPACE, contributing));
        ObjectNode hashes = sco.putObject("hashes");
        hashes.put("SHA-256", file.hashes().sha256());
        hashes.put("SHA-1", file.hashes().sha1());
        hashes.put("MD5", file.hashes().md5());
        sco.put("size", file.size());
        sco.put("name", name);
        // custom property (section 11.1): where in the release the file sits, e.g. "setup.msi!ffmpeg.dll"
        sco.put("x_tollgate_path", path);
        return sco;
    }

    /** The id to sight: the feed's STIX id when there is one, else an indicator written here for it. */
    private String indicatorRef(Finding finding, String now, String identityId, Map<String, ObjectNode> objects) {
        Map<String, Object> evidence = finding.evidence();
        String feedId = String.valueOf(evidence.getOrDefault("id", ""));
        if ("stix".equals(evidence.get("feedFormat")) && feedId.startsWith("indicator--")) {
            return feedId;
        }
        String type = String.valueOf(evidence.getOrDefault("indicatorType", ""));
        String value = String.valueOf(evidence.getOrDefault("indicator", ""));
        String id = StixIds.id("indicator", StixIds.TOLLGATE_NAMESPACE, "indicator|" + type + "|" + value);
        if (objects.containsKey(id)) {
            return id;
        }
        ObjectNode indicator = sdo("indicator", id, now);
        indicator.put("created_by_ref", identityId);
        indicator.put("name", String.valueOf(evidence.getOrDefault("name", value)));
        if (evidence.get("description") instanceof String description) {
            indicator.put("description", description);
        }
        indicator.putArray("indicator_types").add("malicious-activity");
        indicator.put("pattern", pattern(type, value));
        indicator.put("pattern_type", "stix");
        indicator.put("pattern_version", "2.1");
        indicator.put("valid_from", now);
        ObjectNode reference = indicator.putArray("external_references").addObject();
        Object author = evidence.get("author");
        reference.put(
                "source_name", author instanceof String a ? a : String.valueOf(evidence.getOrDefault("feed", "feed")));
        if (!feedId.isEmpty()) {
            reference.put("external_id", feedId);
        }
        reference.put(
                "description",
                "from " + evidence.getOrDefault("feedFormat", "") + " feed " + evidence.getOrDefault("feed", ""));
        objects.put(id, indicator);
        return id;
    }

    /** A STIX pattern (section 9) equivalent to one indicator value. */
    static String pattern(String type, String value) {
        String literal = "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
        return switch (type) {
            case "sha256" -> "[file:hashes.'SHA-256' = " + literal + "]";
            case "sha1" -> "[file:hashes.'SHA-1' = " + literal + "]";
            case "md5" -> "[file:hashes.MD5 = " + literal + "]";
            case "domain" -> "[domain-name:value = " + literal + "]";
            case "url" -> "[url:value = " + literal + "]";
            case "ip" ->
                "[" + (value.contains(":") ? "ipv6-addr" : "ipv4-addr") + ":value "
                        + (value.contains("/") ? "ISSUBSET " : "= ") + literal + "]";
            case "cert-serial" -> "[x509-certificate:serial_number = " + literal + "]";
            case "cert-sha256" -> "[x509-certificate:hashes.'SHA-256' = " + literal + "]";
            case "cert-sha1" -> "[x509-certificate:hashes.'SHA-1' = " + literal + "]";
            default -> throw new IllegalArgumentException("no STIX pattern for indicator type '" + type + "'");
        };
    }

    private ObjectNode sdo(String type, String id, String now) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", type);
        node.put("spec_version", "2.1");
        node.put("id", id);
        node.put("created", now);
        node.put("modified", now);
        return node;
    }

    /** The export time as STIX writes timestamps; visible for tests. */
    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
