package dev.tollgate.intel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** What the JSON feed readers share: a parser bounded by the feed limits, positions, and typed field access. */
final class JsonFeeds {

    /** An entry with a wrong or missing field; the reader records it as a problem and goes on. */
    static final class BadEntry extends Exception {
        private static final long serialVersionUID = 1L;

        BadEntry(String message) {
            super(message);
        }
    }

    private JsonFeeds() {}

    /** A mapper whose parsers refuse deep nesting, long strings and long numbers before buffering them. */
    static ObjectMapper mapper(FeedLimits limits) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxJsonDepth())
                        .maxStringLength(limits.maxStringLength())
                        .maxNumberLength(64)
                        .maxNameLength(Math.min(limits.maxStringLength(), 4096))
                        .maxDocumentLength(limits.maxFileBytes())
                        .build())
                // messages must not echo feed content beyond what we clip ourselves
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        return new ObjectMapper(factory);
    }

    /** {@code line:column} of the current token. */
    static String position(JsonParser parser) {
        return position(parser.currentTokenLocation());
    }

    static String position(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "?";
        }
        return location.getLineNr() + ":" + location.getColumnNr();
    }

    static String requiredText(JsonNode node, String field) throws BadEntry {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new BadEntry("missing \"" + field + "\"");
        }
        if (!value.isTextual()) {
            throw new BadEntry("\"" + field + "\" must be a string, not "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return value.asText();
    }

    static Optional<String> optionalText(JsonNode node, String field) throws BadEntry {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new BadEntry("\"" + field + "\" must be a string, not "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return Optional.of(value.asText());
    }

    static Optional<Boolean> optionalBoolean(JsonNode node, String field) throws BadEntry {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw new BadEntry("\"" + field + "\" must be true or false");
        }
        return Optional.of(value.asBoolean());
    }

    /** An RFC 3339 timestamp (STIX 2.1 section 3.2), e.g. {@code 2023-03-29T00:00:00.000Z}. */
    static Optional<Instant> optionalTimestamp(JsonNode node, String field) throws BadEntry {
        Optional<String> text = optionalText(node, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text.get()));
        } catch (DateTimeParseException e) {
            throw new BadEntry(
                    "\"" + field + "\" is not an RFC 3339 timestamp: '" + IndicatorValues.clip(text.get()) + "'");
        }
    }
}
