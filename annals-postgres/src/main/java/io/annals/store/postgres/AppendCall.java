package io.annals.store.postgres;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.store.AppendResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Writes a batch of appends, each to a distinct stream, with one call of the schema's
 * {@code append_events} function: one statement and one round trip for the whole batch.
 */
final class AppendCall {

    private final String sql;
    private final String singleSql;
    private final String singleNotifyingSql;
    private final SingleStatementAppend singleStatement;

    AppendCall(SchemaName schema) {
        this.singleStatement = new SingleStatementAppend(schema);
        this.sql = "SELECT request, status, version, transaction_id, sequence, event_id FROM "
                + schema.qualify("append_events") + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        String single = "SELECT 1, s.status, s.version, s.transaction_id, s.sequence, s.event_id";
        String fromSingle = " FROM " + schema.qualify("append_stream") + "(?, ?, ?, ?, ?, ?, ?) s";
        this.singleSql = single + fromSingle;
        this.singleNotifyingSql = single
                + ", CASE WHEN s.status = 0 THEN pg_notify('" + NotificationListener.CHANNEL + "', ? || s.transaction_id) END"
                + fromSingle;
    }

    List<AppendOutcome> execute(Connection connection, List<AppendRequest> requests) throws SQLException {
        if (requests.size() == 1) {
            return List.of(executeOne(connection, requests.getFirst(), null));
        }
        int requestCount = requests.size();
        int eventCount = 0;
        for (AppendRequest request : requests) {
            eventCount += request.events().size();
        }
        var streams = new String[requestCount];
        var expected = new long[requestCount];
        var counts = new int[requestCount];
        var eventRequest = new int[eventCount];
        var eventIndex = new int[eventCount];
        var ids = new UUID[eventCount];
        var types = new String[eventCount];
        var data = new String[eventCount];
        var metadata = new String[eventCount];
        var occurredAt = new String[eventCount];
        int e = 0;
        for (int r = 0; r < requestCount; r++) {
            AppendRequest request = requests.get(r);
            streams[r] = request.streamId().value();
            expected[r] = request.expectedCode();
            counts[r] = request.events().size();
            int index = 1;
            for (EventData event : request.events()) {
                eventRequest[e] = r + 1;
                eventIndex[e] = index++;
                ids[e] = event.eventId();
                types[e] = event.type();
                data[e] = event.data();
                metadata[e] = MetadataJson.write(event.metadata());
                occurredAt[e] = event.occurredAt() == null ? null : event.occurredAt().toString();
                e++;
            }
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        var outcomes = new ArrayList<AppendOutcome>(requestCount);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, pg.createArrayOf("text", streams));
            statement.setArray(2, pg.createArrayOf("int8", expected));
            statement.setArray(3, pg.createArrayOf("int4", counts));
            statement.setArray(4, pg.createArrayOf("int4", eventRequest));
            statement.setArray(5, pg.createArrayOf("int4", eventIndex));
            statement.setArray(6, pg.createArrayOf("uuid", ids));
            statement.setArray(7, pg.createArrayOf("text", types));
            statement.setArray(8, pg.createArrayOf("text", data));
            statement.setArray(9, pg.createArrayOf("text", metadata));
            statement.setArray(10, pg.createArrayOf("timestamptz", occurredAt));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    outcomes.add(outcome(rows));
                }
            }
        }
        if (outcomes.size() != requestCount) {
            throw new SQLException("append function answered " + outcomes.size() + " of " + requestCount + " requests");
        }
        return outcomes;
    }

    /**
     * Writes one request on an auto-committing connection: with one plain statement in the common
     * case, else with the function, which tells a retry, a conflict and a deleted stream apart.
     * With {@code notifyPayloadPrefix}, a write also sends that prefix followed by the stamp as a
     * notification inside its own transaction: only for a request written while no other append
     * is in flight, since a notifying transaction holds PostgreSQL's database-wide notify lock
     * through its commit (see {@link CommitNotifier}).
     */
    AppendOutcome executeAutoCommitted(Connection connection, AppendRequest request, String notifyPayloadPrefix)
            throws SQLException {
        var written = singleStatement.tryWrite(connection, request, notifyPayloadPrefix);
        if (written.isPresent()) {
            return new AppendOutcome.Written(written.get());
        }
        return executeOne(connection, request, notifyPayloadPrefix);
    }

    private AppendOutcome executeOne(Connection connection, AppendRequest request, String notifyPayloadPrefix)
            throws SQLException {
        var columns = EventColumns.of(request.events());
        PGConnection pg = connection.unwrap(PGConnection.class);
        boolean notifying = notifyPayloadPrefix != null;
        try (PreparedStatement statement = connection.prepareStatement(notifying ? singleNotifyingSql : singleSql)) {
            int p = 1;
            if (notifying) {
                statement.setString(p++, notifyPayloadPrefix);
            }
            statement.setString(p++, request.streamId().value());
            statement.setLong(p++, request.expectedCode());
            columns.bind(statement, pg, p);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("append function answered nothing");
                }
                return outcome(rows);
            }
        }
    }

    private static AppendOutcome outcome(ResultSet row) throws SQLException {
        int status = row.getInt(2);
        return switch (status) {
            case 0 -> new AppendOutcome.Written(result(row));
            case 1 -> new AppendOutcome.Repeated(result(row));
            case 2 -> new AppendOutcome.Conflict(row.getLong(3));
            case 3 -> new AppendOutcome.Deleted();
            case 4 -> new AppendOutcome.Duplicate(row.getObject(6, UUID.class));
            default -> throw new SQLException("append function answered unknown status " + status);
        };
    }

    private static AppendResult result(ResultSet row) throws SQLException {
        return new AppendResult(row.getLong(3), new Position(row.getLong(4), row.getLong(5)));
    }
}
