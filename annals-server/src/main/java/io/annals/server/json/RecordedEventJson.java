package io.annals.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The one JSON shape of a recorded event, used by the HTTP API, the event stream and NDJSON
 * export/import: {@code eventId, streamId, version, position, type, data, metadata, recordedAt,
 * occurredAt}. {@code data} is embedded as JSON, not as a string.
 */
public final class RecordedEventJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private RecordedEventJson() {
    }

    public static void write(JsonGenerator out, RecordedEvent event) throws IOException {
        out.writeStartObject();
        out.writeStringField("eventId", event.eventId().toString());
        out.writeStringField("streamId", event.streamId().value());
        out.writeNumberField("version", event.version());
        out.writeStringField("position", event.position().toString());
        out.writeStringField("type", event.type());
        out.writeFieldName("data");
        // stores only hold data that passed AppendValidation, so it is one valid JSON document
        out.writeRawValue(event.data());
        out.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> entry : event.metadata().values().entrySet()) {
            out.writeStringField(entry.getKey(), entry.getValue());
        }
        out.writeEndObject();
        out.writeStringField("recordedAt", event.recordedAt().toString());
        out.writeStringField("occurredAt", event.occurredAt().toString());
        out.writeEndObject();
    }

    public static String toJson(RecordedEvent event) {
        var text = new StringWriter(256 + event.data().length());
        try (JsonGenerator out = FACTORY.createGenerator(text)) {
            write(out, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** Reads the shape {@link #write} produces; fails with {@link IllegalArgumentException} on anything else. */
    public static RecordedEvent fromJson(ObjectMapper mapper, String line) {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a recorded event must be a JSON object");
        }
        try {
            return new RecordedEvent(
                    StreamId.of(text(node, "streamId")),
                    number(node, "version"),
                    Position.parse(text(node, "position")),
                    UUID.fromString(text(node, "eventId")),
                    text(node, "type"),
                    required(node, "data").toString(),
                    metadata(node.get("metadata")),
                    Instant.parse(text(node, "recordedAt")),
                    Instant.parse(text(node, "occurredAt")));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("bad timestamp: " + e.getParsedString(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field " + field + " must be a string");
        }
        return value.textValue();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("field " + field + " must be an integer");
        }
        return value.longValue();
    }

    private static Metadata metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return Metadata.EMPTY;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("metadata must be an object of strings");
        }
        var values = new TreeMap<String, String>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException("metadata value of " + entry.getKey() + " must be a string");
            }
            values.put(entry.getKey(), entry.getValue().textValue());
        }
        return new Metadata(values);
    }
}
