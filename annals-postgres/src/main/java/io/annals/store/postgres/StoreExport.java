package io.annals.store.postgres;

import io.annals.event.StreamId;
import io.annals.store.jsonlines.ExportResult;
import io.annals.store.jsonlines.JsonLinesWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Writes every committed event in global order, then every deletion, as JSON lines. Runs in one
 * repeatable-read transaction with a server-side cursor, so the export is one consistent cut and
 * memory stays flat.
 */
final class StoreExport {

    private static final int FETCH_SIZE = 5_000;

    private final DataSource dataSource;
    private final String eventsSql;
    private final String deletionsSql;

    StoreExport(DataSource dataSource, SchemaName schema) {
        this.dataSource = dataSource;
        this.eventsSql = "SELECT false, " + EventReads.EVENT_COLUMNS + " FROM " + schema.qualify("events") + " e"
                + " ORDER BY e.transaction_id, e.sequence";
        this.deletionsSql = "SELECT stream_id, deleted_through, tombstoned FROM " + schema.qualify("streams")
                + " WHERE tombstoned OR deleted_through >= 0 ORDER BY stream_id COLLATE \"C\"";
    }

    ExportResult run(OutputStream out) throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try (var writer = new JsonLinesWriter(out)) {
                try (PreparedStatement statement = connection.prepareStatement(eventsSql)) {
                    statement.setFetchSize(FETCH_SIZE);
                    try (ResultSet rows = statement.executeQuery()) {
                        String lastStreamText = null;
                        StreamId lastStream = null;
                        while (rows.next()) {
                            String streamText = rows.getString(2);
                            if (!streamText.equals(lastStreamText)) {
                                lastStream = StreamId.of(streamText);
                                lastStreamText = streamText;
                            }
                            writer.writeEvent(EventReads.event(rows, lastStream));
                        }
                    }
                }
                try (PreparedStatement statement = connection.prepareStatement(deletionsSql);
                     ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        writer.writeDeletions(StreamId.of(rows.getString(1)), rows.getLong(2), rows.getBoolean(3));
                    }
                }
                return writer.result();
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw SqlFailures.unavailable("export failed", e);
        }
    }
}
