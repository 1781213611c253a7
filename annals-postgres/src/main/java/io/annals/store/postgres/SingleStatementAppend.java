package io.annals.store.postgres;

import io.annals.event.Position;
import io.annals.store.AppendResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.PGConnection;

/**
 * Writes one auto-committed request with one plain SQL statement, for the case that nearly every
 * append is: the expected version holds and the event ids are new. The statement advances the
 * stream row (taking its lock, checking the expected version against the locked row) and inserts
 * the events, as {@code append_stream} does, but without the function's extra statements and its
 * retry lookup: a repeated event id makes the insert fail on the {@code (stream_id, event_id)}
 * unique index instead, which rolls the statement back. Whenever the statement does not write (a
 * conflict, a tombstone, a retry, a new stream under {@code stream-exists} or an exact version),
 * {@link #tryWrite} answers empty and the caller runs the function, which tells these apart.
 *
 * <p>Only for auto-committed requests: inside a caller's transaction a unique violation would
 * abort the caller's transaction, where the function answers a retry without failing.
 */
final class SingleStatementAppend {

    private final String creatingSql;
    private final String creatingNotifyingSql;
    private final String existingSql;
    private final String existingNotifyingSql;

    SingleStatementAppend(SchemaName schema) {
        String insertEvents = ", inserted AS (\n"
                + "    INSERT INTO " + schema.qualify("events")
                + " (transaction_id, stream_id, version, event_id, type, data, metadata, occurred_at)\n"
                + "    SELECT a.last_transaction_id, a.stream_id, a.version - a.added + x.ord, x.id, x.type,"
                + " x.data::json, x.meta::json, x.occurred\n"
                + "      FROM advanced a, unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])"
                + " WITH ORDINALITY AS x(id, type, data, meta, occurred, ord)\n"
                + "     ORDER BY x.ord\n"
                + "    RETURNING events.sequence)\n"
                + "SELECT a.version, a.last_transaction_id, (SELECT max(i.sequence) FROM inserted i)";
        String notify = ", pg_notify('" + NotificationListener.CHANNEL + "', ? || a.last_transaction_id)";
        String fromAdvanced = " FROM advanced a";
        // expected any (-2) or no stream (-1): a missing stream is created by the same statement
        String creating = "WITH advanced AS (\n"
                + "    INSERT INTO " + schema.qualify("streams") + " AS st (stream_id, version, last_transaction_id)\n"
                + "    VALUES (?, ? - 1, pg_current_xact_id()::text::bigint)\n"
                + "    ON CONFLICT (stream_id) DO UPDATE\n"
                + "       SET version = st.version + excluded.version + 1,\n"
                + "           last_transaction_id = greatest(excluded.last_transaction_id, st.last_transaction_id)\n"
                + "     WHERE NOT st.tombstoned AND (?::bigint = -2 OR st.version <= st.deleted_through)\n"
                + "    RETURNING st.stream_id, st.version, st.last_transaction_id, ?::bigint AS added)";
        // expected stream exists (-3) or an exact version: the stream must already be there
        String existing = "WITH advanced AS (\n"
                + "    UPDATE " + schema.qualify("streams") + " st\n"
                + "       SET version = st.version + ?,\n"
                + "           last_transaction_id = greatest(pg_current_xact_id()::text::bigint, st.last_transaction_id)\n"
                + "     WHERE st.stream_id = ? AND NOT st.tombstoned AND st.version > st.deleted_through\n"
                + "       AND (?::bigint = -3 OR st.version = ?::bigint)\n"
                + "    RETURNING st.stream_id, st.version, st.last_transaction_id, ?::bigint AS added)";
        this.creatingSql = creating + insertEvents + fromAdvanced;
        this.creatingNotifyingSql = creating + insertEvents + notify + fromAdvanced;
        this.existingSql = existing + insertEvents + fromAdvanced;
        this.existingNotifyingSql = existing + insertEvents + notify + fromAdvanced;
    }

    /**
     * Writes {@code request} when it is the common case, on an auto-committing connection; with
     * {@code notifyPayloadPrefix}, sends that prefix followed by the stamp as a notification in
     * the same transaction. Empty when nothing was written: the caller asks the function why.
     */
    Optional<AppendResult> tryWrite(Connection connection, AppendRequest request, String notifyPayloadPrefix)
            throws SQLException {
        long expected = request.expectedCode();
        boolean creating = expected == -1 || expected == -2;
        boolean notifying = notifyPayloadPrefix != null;
        String sql = creating
                ? (notifying ? creatingNotifyingSql : creatingSql)
                : (notifying ? existingNotifyingSql : existingSql);
        int count = request.events().size();
        var columns = EventColumns.of(request.events());
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            if (creating) {
                statement.setString(p++, request.streamId().value());
                statement.setLong(p++, count);
                statement.setLong(p++, expected);
                statement.setLong(p++, count);
            } else {
                statement.setLong(p++, count);
                statement.setString(p++, request.streamId().value());
                statement.setLong(p++, expected);
                statement.setLong(p++, expected);
                statement.setLong(p++, count);
            }
            p = columns.bind(statement, pg, p);
            if (notifying) {
                statement.setString(p, notifyPayloadPrefix);
            }
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new AppendResult(row.getLong(1), new Position(row.getLong(2), row.getLong(3))));
            }
        } catch (SQLException e) {
            if (SqlFailures.isUniqueViolation(e, SqlFailures.EVENT_ID_CONSTRAINT)) {
                return Optional.empty(); // a retry, or an event id the stream already holds
            }
            throw e;
        }
    }
}
