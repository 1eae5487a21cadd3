package dev.tollgate.report;

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
public final class JsonOutput {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonOutput() {}

    public static JsonGenerator generator(Writer out) throws IOException {
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
    public static void writeRounded(JsonGenerator g, double value) throws IOException {
        if (!Double.isFinite(value)) {
            g.writeString(Double.toString(value)); // JSON has no NaN or infinity
            return;
        }
        g.writeNumber(rounded(value));
    }

    /**
     * {@code value} rounded half-even to 4 decimals, without trailing zeros, in plain notation: what
     * {@code BigDecimal.valueOf(value).setScale(4, HALF_EVEN).stripTrailingZeros().toPlainString()} gives. The common
     * case (a value {@link Double#toString} writes without an exponent, such as every entropy) is done on that
     * string's digits, without {@code BigDecimal}, whose first use alone cost about 20 ms at the end of every scan.
     */
    public static String rounded(double value) {
        String decimal = Double.toString(value);
        int point = decimal.indexOf('.');
        if (decimal.indexOf('E') >= 0 || point < 0) {
            return BigDecimal.valueOf(value)
                    .setScale(4, RoundingMode.HALF_EVEN)
                    .stripTrailingZeros()
                    .toPlainString();
        }
        boolean negative = decimal.charAt(0) == '-';
        // The digits of |value| without the point, and how many of them are decimals kept.
        StringBuilder digits = new StringBuilder(decimal.length() + 4);
        digits.append(decimal, negative ? 1 : 0, point);
        String fraction = decimal.substring(point + 1);
        digits.append(fraction, 0, Math.min(4, fraction.length()));
        while (digits.length() - (point - (negative ? 1 : 0)) < 4) {
            digits.append('0');
        }
        if (fraction.length() > 4 && roundsUp(fraction.substring(4), digits.charAt(digits.length() - 1))) {
            int i = digits.length() - 1;
            while (i >= 0 && digits.charAt(i) == '9') {
                digits.setCharAt(i--, '0');
            }
            if (i < 0) {
                digits.insert(0, '1');
            } else {
                digits.setCharAt(i, (char) (digits.charAt(i) + 1));
            }
        }
        int integerDigits = digits.length() - 4;
        int end = digits.length();
        while (end > integerDigits && digits.charAt(end - 1) == '0') {
            end--;
        }
        int start = 0;
        while (start < integerDigits - 1 && digits.charAt(start) == '0') {
            start++;
        }
        String integer = digits.substring(start, integerDigits);
        String kept = digits.substring(integerDigits, end);
        if (integer.equals("0") && kept.isEmpty()) {
            return "0"; // BigDecimal has no negative zero
        }
        return (negative ? "-" : "") + integer + (kept.isEmpty() ? "" : "." + kept);
    }

    /** Whether the dropped decimals {@code rest} round the last kept digit {@code last} up, half to even. */
    private static boolean roundsUp(String rest, char last) {
        char first = rest.charAt(0);
        if (first != '5') {
            return first > '5';
        }
        for (int i = 1; i < rest.length(); i++) {
            if (rest.charAt(i) != '0') {
                return true;
            }
        }
        return (last - '0') % 2 == 1;
    }

    /** Evidence values: maps with sorted keys, lists, strings, numbers, booleans; anything else as its string. */
    public static void writeValue(JsonGenerator g, Object value) throws IOException {
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

    public static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** The npm packages as an array of {@code {name, version, path}} objects (the report and the scan cache alike). */
    public static void writeNpmPackages(JsonGenerator g, List<NpmPackageRecord> packages) throws IOException {
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
