package io.annals.server.http.streams;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.annals.event.EventData;
import io.annals.event.EventIds;
import io.annals.event.Metadata;
import io.annals.event.Tag;
import io.annals.node.ApiProblem;
import io.annals.node.QueryParams;
import io.annals.node.RequestBodies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns the body of {@code POST /api/streams/{id}} into events, strictly: a JSON array of
 * {@code {"eventId"?, "type", "data", "metadata"?, "occurredAt"?, "tags"?}}; any other field, a wrong
 * type or a missing part is a 400 that says which event and which field.
 * <p>
 * It reads the body in one streaming pass, without a tree: each event's {@code data} is checked
 * token by token (syntax, duplicate keys, the parser's limits) and then passed on as the exact
 * text the client sent, so nothing is parsed or written twice.
 */
public final class AppendRequestParser implements RequestBodies.JsonBodyReader<AppendRequestParser.AppendRequest> {

    private final int maxEvents;

    public AppendRequestParser(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    /** The events of an append request, and whether the client named any event's id (only then can it be a retry). */
    public record AppendRequest(List<EventData> events, boolean idsGiven) {
    }

    @Override
    public AppendRequest read(JsonParser parser, byte[] body) throws IOException {
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            throw ApiProblem.badRequest("the body must be a JSON array of events");
        }
        var events = new ArrayList<EventData>(1);
        var given = new boolean[1];
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (events.size() == maxEvents) {
                throw ApiProblem.badRequest("an append may hold at most " + maxEvents + " events, got more");
            }
            events.add(parseEvent(parser, body, events.size(), given));
        }
        if (events.isEmpty()) {
            throw ApiProblem.badRequest("an append needs at least one event");
        }
        if (parser.nextToken() != null) {
            throw ApiProblem.badRequest("malformed JSON: content after the array of events");
        }
        return new AppendRequest(events, given[0]);
    }

    /** Reads one event object; the parser stands on its first token and is left on its last. */
    private static EventData parseEvent(JsonParser parser, byte[] body, int index, boolean[] idGiven) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw problem(index, "must be a JSON object");
        }
        UUID eventId = null;
        String type = null;
        String data = null;
        Metadata metadata = Metadata.EMPTY;
        Instant occurredAt = null;
        List<Tag> tags = List.of();
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "eventId" -> eventId = eventId(parser, value, index);
                case "type" -> type = type(parser, value, index);
                case "data" -> data = data(parser, value, body, index);
                case "metadata" -> metadata = metadata(parser, value, index);
                case "occurredAt" -> occurredAt = occurredAt(parser, value, index);
                case "tags" -> tags = tags(parser, value, index);
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
            idGiven[0] |= eventId != null;
            return new EventData(eventId == null ? EventIds.timeOrdered() : eventId, type, data, metadata, occurredAt,
                    Set.copyOf(tags));
        } catch (IllegalArgumentException e) {
            throw problem(index, e.getMessage());
        }
    }

    /** An array of {@code key:value} strings (see {@link Tag}). */
    private static List<Tag> tags(JsonParser parser, JsonToken value, int index) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (value != JsonToken.START_ARRAY) {
            throw problem(index, "tags must be an array of key:value strings");
        }
        var tags = new ArrayList<Tag>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw problem(index, "tags must be an array of key:value strings");
            }
            if (tags.size() == Tag.MAX_PER_EVENT) {
                throw problem(index, "carries more than " + Tag.MAX_PER_EVENT + " tags");
            }
            try {
                tags.add(Tag.parse(parser.getText()));
            } catch (IllegalArgumentException e) {
                throw problem(index, e.getMessage());
            }
        }
        return tags;
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
