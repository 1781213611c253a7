package io.annals.bench.subject;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The plain way to write a table as JSON lines: one pass over a result set whose columns are
 * {@code id, stream_id, version, event_id, type, data, metadata, recorded_at}, each row one object
 * written with Jackson's streaming generator, {@code data} and {@code metadata} copied raw.
 */
final class RawJsonLines {

    private static final JsonFactory JSON = new JsonFactory();

    /** The recorded time of the current row as text. */
    @FunctionalInterface
    interface RecordedAt {
        String of(ResultSet row) throws SQLException;
    }

    private RawJsonLines() {
    }

    static long write(ResultSet rows, OutputStream out, RecordedAt recordedAt) throws SQLException, IOException {
        long count = 0;
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.setRootValueSeparator(null);
            while (rows.next()) {
                json.writeStartObject();
                json.writeStringField("eventId", rows.getString(4));
                json.writeStringField("streamId", rows.getString(2));
                json.writeNumberField("version", rows.getLong(3));
                json.writeStringField("type", rows.getString(5));
                json.writeFieldName("data");
                json.writeRawValue(rows.getString(6));
                json.writeFieldName("metadata");
                json.writeRawValue(rows.getString(7));
                json.writeStringField("recordedAt", recordedAt.of(rows));
                json.writeEndObject();
                json.writeRaw('\n');
                count++;
            }
        }
        return count;
    }
}
