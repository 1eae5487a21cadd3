package dev.tollgate.intel;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the indicators of a STIX 2.1 bundle (STIX 2.1 section 8, {@code bundle}; section 4.3, {@code indicator}).
 * Objects are read one at a time from the stream, so each problem is reported at the line and column where its object
 * starts. Identities are read too, so that {@code created_by_ref} can be shown by name.
 */
final class StixBundleReader {

    private static final Pattern INDICATOR_ID =
            Pattern.compile("indicator--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private record Pending(JsonNode node, String position) {}

    private StixBundleReader() {}

    static void read(JsonParser parser, FeedContext context) throws IOException, IntelFeedException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IntelFeedException(
                    context.feed(),
                    JsonFeeds.position(parser),
                    "not a STIX bundle: the top level is not a JSON object");
        }
        String bundleType = "";
        boolean sawObjects = false;
        List<Pending> indicators = new ArrayList<>();
        Map<String, String> identities = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("type") && value == JsonToken.VALUE_STRING) {
                bundleType = parser.getText();
            } else if (field.equals("objects") && value == JsonToken.START_ARRAY) {
                sawObjects = true;
                readObjects(parser, context, indicators, identities);
            } else {
                parser.skipChildren();
            }
        }
        if (!bundleType.equals("bundle") || !sawObjects) {
            throw new IntelFeedException(
                    context.feed(),
                    "1:1",
                    "not a STIX 2.1 bundle (needs \"type\": \"bundle\" and an \"objects\" array)");
        }
        for (Pending pending : indicators) {
            indicator(pending, identities, context);
        }
    }

    private static void readObjects(
            JsonParser parser, FeedContext context, List<Pending> indicators, Map<String, String> identities)
            throws IOException, IntelFeedException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String position = JsonFeeds.position(parser);
            context.countEntry(position);
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                context.problem(position, "bundle object is not a JSON object");
                parser.skipChildren();
                continue;
            }
            JsonNode node = parser.readValueAsTree();
            String type = node.path("type").asText("");
            if (type.equals("indicator")) {
                indicators.add(new Pending(node, position));
            } else if (type.equals("identity")
                    && node.path("id").isTextual()
                    && node.path("name").isTextual()) {
                identities.put(node.get("id").asText(), node.get("name").asText());
            }
        }
    }

    private static void indicator(Pending pending, Map<String, String> identities, FeedContext context) {
        JsonNode node = pending.node();
        String position = pending.position();
        try {
            String id = JsonFeeds.requiredText(node, "id");
            if (!INDICATOR_ID.matcher(id).matches()) {
                throw new JsonFeeds.BadEntry(
                        "indicator id is not 'indicator--<uuid>': '" + IndicatorValues.clip(id) + "'");
            }
            boolean revoked = JsonFeeds.optionalBoolean(node, "revoked").orElse(false);
            var validFrom = JsonFeeds.optionalTimestamp(node, "valid_from");
            var validUntil = JsonFeeds.optionalTimestamp(node, "valid_until");
            if (validFrom.isPresent()
                    && validUntil.isPresent()
                    && !validUntil.get().isAfter(validFrom.get())) {
                throw new JsonFeeds.BadEntry("valid_until is not after valid_from");
            }
            String pattern = JsonFeeds.requiredText(node, "pattern");
            // STIX 2.0 indicators have no pattern_type; their patterns are STIX patterns
            String patternType = JsonFeeds.optionalText(node, "pattern_type").orElse("stix");
            Optional<String> name = JsonFeeds.optionalText(node, "name");
            Optional<String> description = JsonFeeds.optionalText(node, "description");
            Optional<String> author =
                    JsonFeeds.optionalText(node, "created_by_ref").map(ref -> identities.getOrDefault(ref, ref));
            if (revoked) {
                context.skip("revoked");
                return;
            }
            if (!context.inForce(validFrom, validUntil)) {
                return;
            }
            if (!patternType.equals("stix")) {
                context.skip(
                        "pattern_type '" + IndicatorValues.clip(patternType) + "' (only stix patterns are evaluated)");
                return;
            }
            StixPattern.Evaluation evaluation = StixPattern.evaluate(pattern, context.limits());
            evaluation.skipped().forEach(context::skip);
            IndicatorSource source = new IndicatorSource(
                    context.feed(), FeedFormat.STIX, name.orElse(id), Optional.of(id), author, description);
            for (StixPattern.Comparison comparison : evaluation.comparisons()) {
                context.emit(comparison.type(), comparison.value(), source, position);
            }
        } catch (JsonFeeds.BadEntry | IllegalArgumentException e) {
            context.problem(position, "indicator: " + e.getMessage());
        }
    }
}
