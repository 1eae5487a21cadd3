package dev.tollgate.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.tollgate.model.NpmPackageRecord;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON plumbing both report writers share: a pretty printer with stable output, and evidence values. */
final class JsonOutput {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonOutput() {}

    static JsonGenerator generator(Writer out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        g.setPrettyPrinter(printer);
        return g;
    }

    /** A double rounded to 4 decimals without trailing zeros, so reports are stable across platforms. */
    static void writeRounded(JsonGenerator g, double value) throws IOException {
        if (!Double.isFinite(value)) {
            g.writeString(Double.toString(value)); // JSON has no NaN or infinity
            return;
        }
        g.writeNumber(BigDecimal.valueOf(value)
                .setScale(4, RoundingMode.HALF_EVEN)
                .stripTrailingZeros()
                .toPlainString());
    }

    /** Evidence values: maps with sorted keys, lists, strings, numbers, booleans; anything else as its string. */
    static void writeValue(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> writeRounded(g, d);
            case Float f -> writeRounded(g, f);
            case Number n -> g.writeNumber(n.toString());
            case Map<?, ?> m -> {
                g.writeStartObject();
                Map<String, Object> sorted = new TreeMap<>();
                m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
                for (Map.Entry<String, Object> e : sorted.entrySet()) {
                    g.writeFieldName(e.getKey());
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    writeValue(g, item);
                }
                g.writeEndArray();
            }
            default -> g.writeString(value.toString());
        }
    }

    static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** The npm packages as an array of {@code {name, version, path}} objects (the report and the scan cache alike). */
    static void writeNpmPackages(JsonGenerator g, List<NpmPackageRecord> packages) throws IOException {
        g.writeArrayFieldStart("npmPackages");
        for (NpmPackageRecord p : packages) {
            g.writeStartObject();
            g.writeStringField("name", p.name());
            g.writeStringField("version", p.version());
            g.writeStringField("path", p.path());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
