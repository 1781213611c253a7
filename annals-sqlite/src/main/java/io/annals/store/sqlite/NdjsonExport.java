package io.annals.store.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.store.AllEventsReader;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/** Writes events as NDJSON, one compact JSON object per line; {@code data} is embedded as JSON. */
final class NdjsonExport {

    static final JsonFactory JSON = JsonFactory.builder().build();

    private NdjsonExport() {
    }

    static long write(AllEventsReader reader, OutputStream out, int batchSize) throws IOException {
        long count = 0;
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            generator.setRootValueSeparator(null);
            Position after = Position.START;
            List<RecordedEvent> batch;
            while (!(batch = reader.readAll(after, batchSize)).isEmpty()) {
                for (RecordedEvent event : batch) {
                    writeEvent(generator, event);
                    generator.writeRaw('\n');
                    count++;
                }
                after = batch.getLast().position();
            }
            generator.flush();
        }
        return count;
    }

    private static void writeEvent(JsonGenerator generator, RecordedEvent event) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("eventId", event.eventId().toString());
        generator.writeStringField("streamId", event.streamId().value());
        generator.writeNumberField("version", event.version());
        generator.writeStringField("type", event.type());
        generator.writeFieldName("data");
        // re-emitted rather than copied raw, so that line breaks inside the document cannot split the line
        try (JsonParser data = JSON.createParser(event.data())) {
            data.nextToken();
            generator.copyCurrentStructureExact(data);
        }
        generator.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> entry : event.metadata().values().entrySet()) {
            generator.writeStringField(entry.getKey(), entry.getValue());
        }
        generator.writeEndObject();
        generator.writeStringField("recordedAt", event.recordedAt().toString());
        generator.writeStringField("occurredAt", event.occurredAt().toString());
        generator.writeEndObject();
    }
}
