package io.annals.server.http.streams;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.event.EventData;
import io.annals.event.EventIds;
import io.annals.event.EventIds;
import io.annals.event.Metadata;
import io.annals.server.http.ApiProblem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns the body of {@code POST /api/streams/{id}} into events, strictly: a JSON array of
 * {@code {"eventId"?, "type", "data", "metadata"?, "occurredAt"?}}; any other field, a wrong
 * type or a missing part is a 400 that says which event and which field.
 */
public final class AppendRequestParser {

    private static final Set<String> FIELDS = Set.of("eventId", "type", "data", "metadata", "occurredAt");
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final int maxEvents;

    public AppendRequestParser(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    public List<EventData> parse(JsonNode body) {
        if (!body.isArray()) {
            throw ApiProblem.badRequest("the body must be a JSON array of events");
        }
        if (body.isEmpty()) {
            throw ApiProblem.badRequest("an append needs at least one event");
        }
        if (body.size() > maxEvents) {
            throw ApiProblem.badRequest("an append may hold at most " + maxEvents + " events, got " + body.size());
        }
        var events = new ArrayList<EventData>(body.size());
        for (int i = 0; i < body.size(); i++) {
            events.add(parseEvent(body.get(i), i));
        }
        return events;
    }

    private static EventData parseEvent(JsonNode node, int index) {
        if (!node.isObject()) {
            throw problem(index, "must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String name = property.getKey();
            if (!FIELDS.contains(name)) {
                throw problem(index, "has unknown field '" + abbreviate(name) + "'; allowed: eventId, type, data, metadata, occurredAt");
            }
        }
        return new EventData(eventId(node.get("eventId"), index), type(node.get("type"), index),
                data(node.get("data"), index), metadata(node.get("metadata"), index),
                occurredAt(node.get("occurredAt"), index));
    }

    private static UUID eventId(JsonNode node, int index) {
        if (node == null || node.isNull()) {
            return EventIds.timeOrdered();
        }
        if (!node.isTextual() || !CANONICAL_UUID.matcher(node.textValue()).matches()) {
            throw problem(index, "eventId must be a UUID string like 3f2c1a9e-0b7d-4e21-9a55-1c2d3e4f5a6b");
        }
        return UUID.fromString(node.textValue());
    }

    private static String type(JsonNode node, int index) {
        if (node == null || !node.isTextual()) {
            throw problem(index, "type must be a string");
        }
        String type = node.textValue();
        if (type.isBlank() || type.length() > EventData.MAX_TYPE_LENGTH) {
            throw problem(index, "type must be 1 to " + EventData.MAX_TYPE_LENGTH + " non-blank characters");
        }
        if (type.codePoints().anyMatch(Character::isISOControl)) {
            throw problem(index, "type must not contain control characters");
        }
        return type;
    }

    private static String data(JsonNode node, int index) {
        if (node == null || !(node.isObject() || node.isArray())) {
            throw problem(index, "data must be a JSON object or array");
        }
        return node.toString();
    }

    private static Metadata metadata(JsonNode node, int index) {
        if (node == null || node.isNull()) {
            return Metadata.EMPTY;
        }
        if (!node.isObject()) {
            throw problem(index, "metadata must be an object whose values are strings");
        }
        var values = new TreeMap<String, String>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw problem(index, "metadata value of '" + abbreviate(field.getKey()) + "' must be a string");
            }
            values.put(field.getKey(), field.getValue().textValue());
        }
        return new Metadata(values);
    }

    private static Instant occurredAt(JsonNode node, int index) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw problem(index, "occurredAt must be an ISO-8601 instant string");
        }
        try {
            return Instant.parse(node.textValue());
        } catch (DateTimeParseException e) {
            throw problem(index, "occurredAt must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static ApiProblem problem(int index, String what) {
        return ApiProblem.badRequest("event " + index + ": " + what);
    }

    private static String abbreviate(String text) {
        return io.annals.server.http.QueryParams.abbreviate(text);
    }
}
