package io.annals.server.http.streams;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.annals.event.EventData;
import io.annals.event.EventIds;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.Tag;
import io.annals.node.ApiProblem;
import io.annals.node.QueryJson;
import io.annals.node.QueryParams;
import io.annals.node.RequestBodies;
import io.annals.store.AppendCondition;
import io.annals.store.EventQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns the body of {@code POST /api/streams/{id}} into an {@link AppendRequest}, strictly: a
 * JSON array of {@code {"eventId"?, "type", "data", "metadata"?, "occurredAt"?, "tags"?}}, or an
 * object {@code {"events": [...], "condition"?: {"query": {...}, "after"?: "<position>"}}} whose
 * condition makes the append fail when an event matching the query (see {@link QueryJson}) was
 * recorded after the position (after none given: at all). Any other field, a wrong type or a
 * missing part is a 400 that says which event or which part and which field.
 * <p>
 * It reads the body in one streaming pass, without a tree: each event's {@code data} is checked
 * token by token (syntax, duplicate keys, the parser's limits) and then passed on as the exact
 * text the client sent, so nothing is parsed or written twice.
 */
public final class AppendRequestParser implements RequestBodies.JsonBodyReader<AppendRequest> {

    private final int maxEvents;

    public AppendRequestParser(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    @Override
    public AppendRequest read(JsonParser parser, byte[] body) throws IOException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_ARRAY && first != JsonToken.START_OBJECT) {
            throw ApiProblem.badRequest(
                    "the body must be a JSON array of events or an object {\"events\":[...],\"condition\":{...}}");
        }
        AppendRequest request;
        if (first == JsonToken.START_ARRAY) {
            request = new AppendRequest(events(parser, body), Optional.empty());
        } else {
            request = conditional(parser, body);
        }
        if (parser.nextToken() != null) {
            throw ApiProblem.badRequest("malformed JSON: content after the "
                    + (first == JsonToken.START_ARRAY ? "array of events" : "append object"));
        }
        return request;
    }

    /** The object form; the parser stands on its opening brace and is left on its closing one. */
    private AppendRequest conditional(JsonParser parser, byte[] body) throws IOException {
        List<EventData> events = null;
        AppendCondition condition = null;
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "events" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw ApiProblem.badRequest("events must be a JSON array of events");
                    }
                    events = events(parser, body);
                }
                case "condition" -> condition = value == JsonToken.VALUE_NULL ? null : condition(parser, value);
                default -> throw ApiProblem.badRequest("the append has unknown field '" + QueryParams.abbreviate(field)
                        + "'; allowed: events, condition");
            }
        }
        if (events == null) {
            throw ApiProblem.badRequest("the append needs its events in 'events'");
        }
        return new AppendRequest(events, Optional.ofNullable(condition));
    }

    private static AppendCondition condition(JsonParser parser, JsonToken first) throws IOException {
        if (first != JsonToken.START_OBJECT) {
            throw ApiProblem.badRequest("condition must be an object {\"query\":{...},\"after\":\"<position>\"}");
        }
        EventQuery query = null;
        Position after = Position.START;
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "query" -> query = QueryJson.read(parser, value, "condition.query");
                case "after" -> {
                    if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                        throw ApiProblem.badRequest("condition.after must be a position string");
                    }
                    after = QueryParams.position("condition.after", value == JsonToken.VALUE_NULL ? null : parser.getText());
                }
                default -> throw ApiProblem.badRequest("condition has unknown field '" + QueryParams.abbreviate(field)
                        + "'; allowed: query, after");
            }
        }
        if (query == null) {
            throw ApiProblem.badRequest("condition needs a query in 'query'");
        }
        return new AppendCondition(query, after);
    }

    /** The array of events; the parser stands on its opening bracket and is left on its closing one. */
    private List<EventData> events(JsonParser parser, byte[] body) throws IOException {
        var events = new ArrayList<EventData>(1);
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (events.size() == maxEvents) {
                throw ApiProblem.badRequest("an append may hold at most " + maxEvents + " events, got more");
            }
            events.add(parseEvent(parser, body, events.size()));
        }
        if (events.isEmpty()) {
            throw ApiProblem.badRequest("an append needs at least one event");
        }
        return events;
    }

    /** Reads one event object; the parser stands on its first token and is left on its last. */
    private static EventData parseEvent(JsonParser parser, byte[] body, int index) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw problem(index, "must be a JSON object");
        }
        UUID eventId = null;
        String type = null;
        String data = null;
        Metadata metadata = Metadata.EMPTY;
        Instant occurredAt = null;
        Set<Tag> tags = Set.of();
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "eventId" -> eventId = eventId(parser, value, index);
                case "type" -> type = type(parser, value, index);
                case "data" -> data = data(parser, value, body, index);
                case "metadata" -> metadata = metadata(parser, value, index);
                case "occurredAt" -> occurredAt = occurredAt(parser, value, index);
                case "tags" -> tags = QueryJson.tags(parser, value, "event " + index);
                default -> throw problem(index, "has unknown field '" + QueryParams.abbreviate(field)
                        + "'; allowed: eventId, type, data, metadata, occurredAt, tags");
            }
        }
        if (type == null) {
            throw problem(index, "type must be a string");
        }
        if (data == null) {
            throw problem(index, "data must be a JSON object or array");
        }
        try {
            return new EventData(eventId == null ? EventIds.timeOrdered() : eventId, type, data, metadata, occurredAt, tags);
        } catch (IllegalArgumentException e) {
            throw problem(index, e.getMessage());
        }
    }

    private static UUID eventId(JsonParser parser, JsonToken value, int index) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        if (text == null || !isCanonicalUuid(text)) {
            throw problem(index, "eventId must be a UUID string like 3f2c1a9e-0b7d-4e21-9a55-1c2d3e4f5a6b");
        }
        return UUID.fromString(text);
    }

    /** 8-4-4-4-12 hex digits, either case: checked by hand, as a regex match costs more than the rest of the event. */
    static boolean isCanonicalUuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String type(JsonParser parser, JsonToken value, int index) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw problem(index, "type must be a string");
        }
        String type = parser.getText();
        if (type.isBlank() || type.codePointCount(0, type.length()) > EventData.MAX_TYPE_LENGTH) {
            throw problem(index, "type must be 1 to " + EventData.MAX_TYPE_LENGTH + " non-blank characters");
        }
        if (type.codePoints().anyMatch(Character::isISOControl)) {
            throw problem(index, "type must not contain control characters");
        }
        return type;
    }

    /**
     * Walks the document so that the parser checks it, then slices its bytes out of the body:
     * the same text the client sent, decimals and all.
     */
    private static String data(JsonParser parser, JsonToken value, byte[] body, int index) throws IOException {
        if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
            throw problem(index, "data must be a JSON object or array");
        }
        long start = parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        long end = parser.currentTokenLocation().getByteOffset() + 1;
        return new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8);
    }

    private static Metadata metadata(JsonParser parser, JsonToken value, int index) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return Metadata.EMPTY;
        }
        if (value != JsonToken.START_OBJECT) {
            throw problem(index, "metadata must be an object whose values are strings");
        }
        var values = new TreeMap<String, String>();
        String key;
        while ((key = parser.nextFieldName()) != null) {
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw problem(index, "metadata value of '" + QueryParams.abbreviate(key) + "' must be a string");
            }
            values.put(key, parser.getText());
        }
        return new Metadata(values);
    }

    private static Instant occurredAt(JsonParser parser, JsonToken value, int index) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw problem(index, "occurredAt must be an ISO-8601 instant string");
        }
        return rfc3339(parser.getText(), index);
    }

    private static final java.util.regex.Pattern RFC_3339 = java.util.regex.Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:([0-9]{2})(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})");

    /**
     * An RFC 3339 date-time (section 5.6) as an instant: {@code T} and {@code Z} in either case,
     * any offset, up to nanoseconds. A leap second ({@code :60}) is refused rather than moved to
     * another second: an instant has none.
     */
    static Instant rfc3339(String text, int index) {
        String upper = text.toUpperCase(java.util.Locale.ROOT);
        var matcher = RFC_3339.matcher(upper);
        if (!matcher.matches()) {
            throw problem(index, "occurredAt must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z or 2026-01-31T13:00:00.5+01:00");
        }
        if (matcher.group(1).equals("60")) {
            throw problem(index, "occurredAt is a leap second, which an instant cannot hold; give the second before or after it");
        }
        try {
            return java.time.OffsetDateTime.parse(upper, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw problem(index, "occurredAt is not a date and time that exists: " + QueryParams.abbreviate(text));
        }
    }

    private static ApiProblem problem(int index, String what) {
        return ApiProblem.badRequest("event " + index + ": " + what);
    }
}
