package io.annals.store.jsonlines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the JSON lines format ({@code docs/json-lines-format.md}) in UTF-8: events through
 * {@link RecordedEventJson}, then deletions. Closing flushes and leaves {@code out} open.
 */
public final class JsonLinesWriter implements Flushable, Closeable {

    private static final JsonFactory JSON = new JsonFactory();

    private final JsonGenerator json;
    private long events;
    private long deletions;

    public JsonLinesWriter(OutputStream out) throws IOException {
        this.json = JSON.createGenerator(out);
        json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        json.setRootValueSeparator(null);
    }

    public void writeEvent(RecordedEvent event) throws IOException {
        RecordedEventJson.write(json, event);
        json.writeRaw('\n');
        events++;
    }

    /**
     * The deletion lines of one stream: a soft deletion when a soft delete hides versions up to
     * {@code deletedThrough} (-1: none), then a hard deletion when it is tombstoned.
     */
    public void writeDeletions(StreamId streamId, long deletedThrough, boolean tombstoned) throws IOException {
        if (deletedThrough >= 0) {
            json.writeStartObject();
            json.writeStringField("deleted", "soft");
            json.writeStringField("streamId", streamId.value());
            json.writeNumberField("throughVersion", deletedThrough);
            json.writeEndObject();
            json.writeRaw('\n');
            deletions++;
        }
        if (tombstoned) {
            json.writeStartObject();
            json.writeStringField("deleted", "hard");
            json.writeStringField("streamId", streamId.value());
            json.writeEndObject();
            json.writeRaw('\n');
            deletions++;
        }
    }

    /** What was written so far. */
    public ExportResult result() {
        return new ExportResult(events, deletions);
    }

    @Override
    public void flush() throws IOException {
        json.flush();
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
