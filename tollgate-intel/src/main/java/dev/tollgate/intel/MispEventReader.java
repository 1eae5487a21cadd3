package dev.tollgate.intel;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads MISP events in MISP's JSON format: {@code {"Event": {...}}}, a bare event object, or a search result {@code
 * {"response": [{"Event": ...}]}}. Attributes are read from {@code Event.Attribute[]} and {@code
 * Event.Object[].Attribute[]}. Only attributes with {@code to_ids} set are indicators (MISP's own rule for exporting to
 * detection systems); the others are counted as skipped.
 */
final class MispEventReader {

    private record Pending(JsonNode attribute, String position, String objectName) {}

    /** The event being read: its attributes are emitted at its end, once its info and Orgc (in any order) are known. */
    private static final class Event {
        String info = "";
        String uuid = "";
        Optional<String> org = Optional.empty();
        final List<Pending> attributes = new ArrayList<>();
    }

    private MispEventReader() {}

    static void read(JsonParser parser, FeedContext context) throws IOException, IntelFeedException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IntelFeedException(
                    context.feed(), JsonFeeds.position(parser), "not a MISP event: the top level is not a JSON object");
        }
        int events = readEvent(parser, context);
        if (events == 0) {
            throw new IntelFeedException(
                    context.feed(), "1:1", "not a MISP event (no \"Event\" object and no \"Attribute\" array)");
        }
    }

    /** Reads the fields of the object the parser is in; returns how many events (with attributes) it held. */
    private static int readEvent(JsonParser parser, FeedContext context) throws IOException, IntelFeedException {
        Event event = new Event();
        boolean hasAttributes = false;
        int nested = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "Event" -> {
                    if (value == JsonToken.START_OBJECT) {
                        nested += readEvent(parser, context);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "response" -> {
                    if (value != JsonToken.START_ARRAY) {
                        parser.skipChildren();
                        continue;
                    }
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (parser.currentToken() == JsonToken.START_OBJECT) {
                            nested += readEvent(parser, context);
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
                case "info" -> event.info = value == JsonToken.VALUE_STRING ? parser.getText() : event.info;
                case "uuid" -> event.uuid = value == JsonToken.VALUE_STRING ? parser.getText() : event.uuid;
                case "Orgc", "Org" -> {
                    JsonNode org = parser.readValueAsTree();
                    // the creator org (Orgc) is the author; the owner org (Org) only stands in when Orgc is absent
                    if (org != null && org.path("name").isTextual() && (field.equals("Orgc") || event.org.isEmpty())) {
                        event.org = Optional.of(org.get("name").asText());
                    }
                }
                case "Attribute" -> {
                    hasAttributes = true;
                    readAttributes(parser, context, event, "");
                }
                case "Object" -> {
                    hasAttributes = true;
                    readObjects(parser, context, event);
                }
                default -> parser.skipChildren();
            }
        }
        emit(event, context);
        return nested + (hasAttributes ? 1 : 0);
    }

    private static void readAttributes(JsonParser parser, FeedContext context, Event event, String objectName)
            throws IOException, IntelFeedException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            context.problem(JsonFeeds.position(parser), "\"Attribute\" is not an array");
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String position = JsonFeeds.position(parser);
            context.countEntry(position);
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                context.problem(position, "attribute is not a JSON object");
                parser.skipChildren();
                continue;
            }
            event.attributes.add(new Pending(parser.readValueAsTree(), position, objectName));
        }
    }

    private static void readObjects(JsonParser parser, FeedContext context, Event event)
            throws IOException, IntelFeedException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            context.problem(JsonFeeds.position(parser), "\"Object\" is not an array");
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                context.problem(JsonFeeds.position(parser), "MISP object is not a JSON object");
                parser.skipChildren();
                continue;
            }
            String name = "";
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("name") && value == JsonToken.VALUE_STRING) {
                    name = parser.getText();
                } else if (field.equals("Attribute")) {
                    readAttributes(parser, context, event, name);
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    private static void emit(Event event, FeedContext context) {
        String eventName =
                !event.info.isBlank() ? event.info : event.uuid.isBlank() ? "MISP event" : "MISP event " + event.uuid;
        for (Pending pending : event.attributes) {
            attribute(pending, eventName, event.org, context);
        }
        event.attributes.clear();
    }

    private static void attribute(Pending pending, String eventName, Optional<String> org, FeedContext context) {
        JsonNode node = pending.attribute();
        String position = pending.position();
        try {
            String type = JsonFeeds.requiredText(node, "type").toLowerCase(Locale.ROOT);
            String value = JsonFeeds.requiredText(node, "value");
            boolean toIds = toIds(node.get("to_ids"));
            boolean deleted = node.path("deleted").asBoolean(false);
            Optional<String> comment = JsonFeeds.optionalText(node, "comment").filter(c -> !c.isBlank());
            Optional<String> uuid = JsonFeeds.optionalText(node, "uuid");
            if (deleted) {
                context.skip("deleted attribute");
                return;
            }
            if (!toIds) {
                context.skip("to_ids is false (not meant for detection)");
                return;
            }
            String name = pending.objectName().isEmpty() ? eventName : eventName + " (" + pending.objectName() + ")";
            IndicatorSource source = new IndicatorSource(context.feed(), FeedFormat.MISP, name, uuid, org, comment);
            String[] parts = value.split("\\|", -1);
            String first = parts[0];
            String last = parts[parts.length - 1];
            switch (type) {
                case "md5" -> context.emit(IndicatorType.MD5, value, source, position);
                case "sha1" -> context.emit(IndicatorType.SHA1, value, source, position);
                case "sha256" -> context.emit(IndicatorType.SHA256, value, source, position);
                case "filename|md5", "malware-sample" ->
                    context.emit(IndicatorType.MD5, composite(parts, last, type), source, position);
                case "filename|sha1" ->
                    context.emit(IndicatorType.SHA1, composite(parts, last, type), source, position);
                case "filename|sha256" ->
                    context.emit(IndicatorType.SHA256, composite(parts, last, type), source, position);
                case "domain", "hostname" -> context.emit(IndicatorType.DOMAIN, value, source, position);
                case "hostname|port" ->
                    context.emit(IndicatorType.DOMAIN, composite(parts, first, type), source, position);
                case "domain|ip" -> {
                    context.emit(IndicatorType.DOMAIN, composite(parts, first, type), source, position);
                    context.emit(IndicatorType.IP, last, source, position);
                }
                case "url" -> context.emit(IndicatorType.URL, value, source, position);
                case "ip-dst", "ip-src" -> context.emit(IndicatorType.IP, value, source, position);
                case "ip-dst|port", "ip-src|port" ->
                    context.emit(IndicatorType.IP, composite(parts, first, type), source, position);
                case "x509-fingerprint-sha256" -> context.emit(IndicatorType.CERT_SHA256, value, source, position);
                case "x509-fingerprint-sha1" -> context.emit(IndicatorType.CERT_SHA1, value, source, position);
                default ->
                    context.skip(
                            type.matches("[a-z0-9|_-]{1,40}")
                                    ? "unsupported MISP type '" + type + "'"
                                    : "unsupported MISP type");
            }
        } catch (JsonFeeds.BadEntry | IllegalArgumentException e) {
            context.problem(position, "attribute: " + e.getMessage());
        }
    }

    /** A composite value ({@code name|hash}, {@code ip|port}) must have exactly the two parts its type names. */
    private static String composite(String[] parts, String wanted, String type) {
        if (parts.length != 2) {
            throw new IllegalArgumentException("a " + type + " value must have two parts separated by '|'");
        }
        return wanted;
    }

    /** MISP writes {@code to_ids} as a JSON boolean; older exports write {@code "1"}/{@code "0"}. */
    private static boolean toIds(JsonNode value) throws JsonFeeds.BadEntry {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual() && Set.of("1", "true", "0", "false").contains(value.asText())) {
            return value.asText().equals("1") || value.asText().equals("true");
        }
        if (value.isIntegralNumber() && (value.asInt() == 0 || value.asInt() == 1)) {
            return value.asInt() == 1;
        }
        throw new JsonFeeds.BadEntry("\"to_ids\" must be true or false");
    }
}
