package io.annals.store.jsonlines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.annals.event.RecordedEvent;
import io.annals.event.Tag;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one JSON shape of a recorded event: a line of an export, an event of the node's HTTP API
 * and of its live event stream, a record on Kafka. See {@code docs/json-lines-format.md}:
 * {@code eventId, streamId, version, position, type, data, metadata, recordedAt, occurredAt}, with
 * {@code data} embedded as JSON. The object never spans lines, so it can be a line of a file and
 * the {@code data:} line of a server-sent event.
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
        // stores hold only data that passed as one valid JSON document
        out.writeRawValue(onOneLine(event.data()));
        out.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> entry : event.metadata().values().entrySet()) {
            out.writeStringField(entry.getKey(), entry.getValue());
        }
        out.writeEndObject();
        out.writeStringField("recordedAt", IsoInstants.format(event.recordedAt()));
        out.writeStringField("occurredAt", IsoInstants.format(event.occurredAt()));
        if (!event.tags().isEmpty()) {
            out.writeArrayFieldStart("tags");
            for (Tag tag : event.tags()) {
                out.writeString(tag.toString());
            }
            out.writeEndArray();
        }
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

    /**
     * The document with each line break replaced by a space. In valid JSON a raw line break can
     * only be whitespace between tokens (inside strings it is escaped), so the value is the same.
     */
    static String onOneLine(String json) {
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
            return json;
        }
        return json.replace('\n', ' ').replace('\r', ' ');
    }
}
