package dev.tollgate.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SARIF 2.1.0 (OASIS, "Static Analysis Results Interchange Format Version 2.1.0"): one run whose driver declares a
 * rule per finding code present (§3.49, with {@code defaultConfiguration.level}), and a result per finding (§3.27).
 *
 * <p>Levels (§3.27.10): critical and high are {@code error}, medium {@code warning}, low and info {@code note}. A
 * result's location is the file's path as a URI reference (§3.4.3: relative paths stay relative, absolute ones become
 * {@code file:} URIs); for a file inside a container ({@code outer!inner}) the location is the outermost file and the
 * inner path is the location's {@code innerPath} property. The policy severity and the evidence are the result's
 * properties; the verdict and its reasons are the run's.
 */
final class SarifReportWriter implements ReportWriter {

    static final SarifReportWriter INSTANCE = new SarifReportWriter();

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private SarifReportWriter() {}

    @Override
    public void write(Report report, Writer out) throws IOException {
        // The rules in code order: a result names its rule by id and by index into this list.
        Map<String, Severity> rules = new TreeMap<>();
        for (Finding f : report.findings()) {
            rules.putIfAbsent(
                    f.code(),
                    FindingCode.of(f.code()).map(FindingCode::defaultSeverity).orElse(f.severity()));
        }
        List<String> ruleIds = new ArrayList<>(rules.keySet());
        try (JsonGenerator g = JsonOutput.generator(out)) {
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA);
            g.writeStringField("version", "2.1.0");
            g.writeArrayFieldStart("runs");
            g.writeStartObject();

            g.writeObjectFieldStart("tool");
            g.writeObjectFieldStart("driver");
            g.writeStringField("name", ReportWriter.TOOL_NAME);
            g.writeStringField("version", report.toolVersion());
            g.writeArrayFieldStart("rules");
            for (Map.Entry<String, Severity> rule : rules.entrySet()) {
                g.writeStartObject();
                g.writeStringField("id", rule.getKey());
                g.writeObjectFieldStart("shortDescription");
                g.writeStringField(
                        "text",
                        FindingCode.of(rule.getKey()).map(FindingCode::meaning).orElse(rule.getKey()));
                g.writeEndObject();
                g.writeObjectFieldStart("defaultConfiguration");
                g.writeStringField("level", level(rule.getValue()));
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();

            g.writeArrayFieldStart("invocations");
            g.writeStartObject();
            g.writeBooleanField("executionSuccessful", true);
            g.writeEndObject();
            g.writeEndArray();

            g.writeArrayFieldStart("results");
            for (Finding f : report.findings()) {
                writeResult(g, f, ruleIds.indexOf(f.code()));
            }
            g.writeEndArray();

            g.writeObjectFieldStart("properties");
            g.writeStringField("verdict", report.verdict().label());
            JsonOutput.writeStrings(g, "reasons", report.reasons());
            g.writeEndObject();

            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static void writeResult(JsonGenerator g, Finding f, int ruleIndex) throws IOException {
        g.writeStartObject();
        g.writeStringField("ruleId", f.code());
        g.writeNumberField("ruleIndex", ruleIndex);
        g.writeStringField("level", level(f.severity()));
        g.writeObjectFieldStart("message");
        g.writeStringField("text", f.message());
        g.writeEndObject();
        g.writeArrayFieldStart("locations");
        g.writeStartObject();
        int bang = f.path().indexOf('!');
        String container = bang < 0 ? f.path() : f.path().substring(0, bang);
        g.writeObjectFieldStart("physicalLocation");
        g.writeObjectFieldStart("artifactLocation");
        g.writeStringField("uri", uri(container));
        g.writeEndObject();
        g.writeEndObject();
        if (bang >= 0) {
            g.writeObjectFieldStart("properties");
            g.writeStringField("innerPath", f.path().substring(bang + 1));
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("properties");
        g.writeStringField("severity", f.severity().label());
        g.writeFieldName("evidence");
        JsonOutput.writeValue(g, f.evidence());
        g.writeEndObject();
        g.writeEndObject();
    }

    static String level(Severity severity) {
        return switch (severity) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    /** A path as a URI reference: percent-encoded, relative when the path is, {@code file:///...} when absolute. */
    static String uri(String path) {
        try {
            if (path.startsWith("/")) {
                return new URI("file", "", path, null, null).toASCIIString();
            }
            String relative = path;
            int slash = relative.indexOf('/');
            String first = slash < 0 ? relative : relative.substring(0, slash);
            if (first.indexOf(':') >= 0) {
                relative = "./" + relative; // a colon in the first segment would read as a scheme
            }
            return new URI(null, null, relative, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot encode path as a URI: " + path, e);
        }
    }
}
