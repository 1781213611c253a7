package io.annals.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.annals.event.RecordedEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one JSON shape of a recorded event, used by the HTTP API, the event stream and NDJSON
 * export: {@code eventId, streamId, version, position, type, data, metadata, recordedAt,
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
}
