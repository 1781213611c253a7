package io.annals.store.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.annals.event.Metadata;
import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes every committed event, in global order, one JSON object per line: eventId, streamId,
 * version, type, data, metadata, recordedAt, occurredAt. Runs in one repeatable-read transaction
 * with a server-side cursor, so the export is one consistent cut and memory stays flat.
 */
final class NdjsonExport {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int FETCH_SIZE = 5_000;

    private final DataSource dataSource;
    private final String sql;

    NdjsonExport(DataSource dataSource, SchemaName schema) {
        this.dataSource = dataSource;
        this.sql = "SELECT event_id, stream_id, version, type, data, metadata, recorded_at,"
                + " coalesce(occurred_at, recorded_at) FROM " + schema.qualify("events")
                + " ORDER BY transaction_id, sequence";
    }

    long run(Writer out) throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            long count = 0;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(FETCH_SIZE);
                try (ResultSet rows = statement.executeQuery();
                     JsonGenerator json = JSON.createGenerator(out)) {
                    json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                    json.setRootValueSeparator(new SerializedString("\n"));
                    while (rows.next()) {
                        write(json, rows);
                        count++;
                    }
                    json.flush();
                }
                if (count > 0) {
                    out.write('\n');
                }
                out.flush();
            } finally {
                connection.rollback();
            }
            return count;
        } catch (SQLException e) {
            throw SqlFailures.unavailable("export failed", e);
        }
    }

    private static void write(JsonGenerator json, ResultSet row) throws IOException, SQLException {
        json.writeStartObject();
        json.writeStringField("eventId", row.getString(1));
        json.writeStringField("streamId", row.getString(2));
        json.writeNumberField("version", row.getLong(3));
        json.writeStringField("type", row.getString(4));
        json.writeFieldName("data");
        json.writeRawValue(row.getString(5));
        json.writeObjectFieldStart("metadata");
        Metadata metadata = MetadataJson.read(row.getString(6));
        for (Map.Entry<String, String> entry : metadata.values().entrySet()) {
            json.writeStringField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
        json.writeStringField("recordedAt", row.getObject(7, OffsetDateTime.class).toInstant().toString());
        json.writeStringField("occurredAt", row.getObject(8, OffsetDateTime.class).toInstant().toString());
        json.writeEndObject();
    }
}
