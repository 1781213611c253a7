package io.annals.store.postgres;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.Tag;
import io.annals.store.AppendResult;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Writes appends, each to a distinct stream, with one call of the schema's {@code append_events}
 * function (migration V4), the one definition of an append: the lone append, a combined batch
 * and an append inside a caller's transaction all come here. One statement, one round trip.
 */
final class AppendCall {

    private final String sql;
    private final String notifyingSql;

    AppendCall(SchemaName schema) {
        String select = "SELECT a.outcomes::text[], a.versions, a.transaction_ids, a.sequences, a.event_ids, a.inserted";
        String from = " FROM " + schema.qualify("append_events") + "(?::text[], ?::"
                + schema.qualify("expected_version") + "[], ?::bigint[], ?::int[], ?::int[], ?::int[], ?::int[],"
                + " ?::uuid[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[]) a";
        this.sql = select + from;
        this.notifyingSql = select + ", CASE WHEN a.outcomes[1] = 'written' THEN pg_notify('"
                + NotificationListener.CHANNEL + "', ? || a.transaction_ids[1]) END" + from;
    }

    /**
     * Writes {@code requests} in one transaction of its own when {@code connection} auto-commits,
     * else in the caller's. With {@code notifyPayloadPrefix} (one request only), a write also
     * sends that prefix followed by the stamp as a notification inside its own transaction: only
     * for a request written while no other append is in flight, since a notifying transaction
     * holds PostgreSQL's database-wide notify lock through its commit (see {@link CommitNotifier}).
     */
    List<AppendOutcome> execute(Connection connection, List<AppendRequest> requests, String notifyPayloadPrefix)
            throws SQLException {
        if (notifyPayloadPrefix != null && requests.size() != 1) {
            throw new IllegalArgumentException("an append notifies inline only alone");
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (PreparedStatement statement = connection.prepareStatement(
                notifyPayloadPrefix == null ? sql : notifyingSql)) {
            int p = 1;
            if (notifyPayloadPrefix != null) {
                statement.setString(p++, notifyPayloadPrefix);
            }
            bind(statement, pg, p, requests);
            try (ResultSet row = statement.executeQuery()) {
                return outcomes(requests, row);
            }
        }
    }

    /** The append's statement without notification, for a caller that sends it behind statements of its own. */
    String sql() {
        return sql;
    }

    /** Binds {@code requests} to the parameters of {@link #sql()}, the first of which is {@code first}. */
    void bind(PreparedStatement statement, PGConnection pg, int first, List<AppendRequest> requests) throws SQLException {
        int requestCount = requests.size();
        int eventCount = 0;
        for (AppendRequest request : requests) {
            eventCount += request.events().size();
        }
        var streams = new String[requestCount];
        var expected = new String[requestCount];
        var versions = new Long[requestCount];
        var counts = new int[requestCount];
        var firsts = new int[requestCount];
        var eventRequest = new int[eventCount];
        var eventIndex = new int[eventCount];
        var ids = new UUID[eventCount];
        var types = new String[eventCount];
        var data = new String[eventCount];
        var metadata = new String[eventCount];
        var occurredAt = new String[eventCount];
        var tags = new String[eventCount];
        int e = 0;
        for (int r = 0; r < requestCount; r++) {
            AppendRequest request = requests.get(r);
            streams[r] = request.streamId().value();
            expected[r] = request.expectedLabel();
            versions[r] = AppendRequest.exactVersion(request.expected());
            counts[r] = request.events().size();
            firsts[r] = e + 1;
            int index = 1;
            for (EventData event : request.events()) {
                eventRequest[e] = r + 1;
                eventIndex[e] = index++;
                ids[e] = event.eventId();
                types[e] = event.type();
                data[e] = event.data();
                metadata[e] = MetadataJson.write(event.metadata());
                occurredAt[e] = event.occurredAt() == null ? null : event.occurredAt().toString();
                tags[e] = joinedTags(event);
                e++;
            }
        }
        int p = first;
        statement.setArray(p++, pg.createArrayOf("text", streams));
        statement.setArray(p++, pg.createArrayOf("text", expected));
        statement.setArray(p++, pg.createArrayOf("int8", versions));
        statement.setArray(p++, pg.createArrayOf("int4", counts));
        statement.setArray(p++, pg.createArrayOf("int4", firsts));
        statement.setArray(p++, pg.createArrayOf("int4", eventRequest));
        statement.setArray(p++, pg.createArrayOf("int4", eventIndex));
        statement.setArray(p++, pg.createArrayOf("uuid", ids));
        statement.setArray(p++, pg.createArrayOf("text", types));
        statement.setArray(p++, pg.createArrayOf("text", data));
        statement.setArray(p++, pg.createArrayOf("text", metadata));
        statement.setArray(p++, pg.createArrayOf("timestamptz", occurredAt));
        statement.setArray(p, pg.createArrayOf("text", tags));
    }

    /** The event's tags joined by newlines (a tag holds no control characters), or null. */
    private static String joinedTags(EventData event) {
        if (event.tags().isEmpty()) {
            return null;
        }
        var joined = new StringBuilder();
        for (Tag tag : event.tags()) {
            if (!joined.isEmpty()) {
                joined.append('\n');
            }
            joined.append(tag);
        }
        return joined.toString();
    }

    /** The outcome of each request, from the result of {@link #sql()}. */
    static List<AppendOutcome> outcomes(List<AppendRequest> requests, ResultSet row) throws SQLException {
        if (!row.next()) {
            throw new SQLException("append function answered nothing");
        }
        String[] outcomes = (String[]) array(row, 1);
        Long[] versions = (Long[]) array(row, 2);
        Long[] transactions = (Long[]) array(row, 3);
        Long[] sequences = (Long[]) array(row, 4);
        UUID[] eventIds = (UUID[]) array(row, 5);
        Long[] inserted = (Long[]) array(row, 6);
        if (outcomes == null || outcomes.length != requests.size()) {
            throw new SQLException("append function answered for " + (outcomes == null ? 0 : outcomes.length)
                    + " of " + requests.size() + " requests");
        }
        if (inserted != null) {
            // identity values rise in the order the events were inserted, which is the requests' order
            Arrays.sort(inserted);
        }
        var result = new ArrayList<AppendOutcome>(outcomes.length);
        int written = 0;
        for (int r = 0; r < outcomes.length; r++) {
            result.add(switch (outcomes[r]) {
                case "written" -> {
                    written += requests.get(r).events().size();
                    yield new AppendOutcome.Written(new AppendResult(versions[r],
                            new Position(transactions[r], inserted[written - 1])));
                }
                case "repeated" -> new AppendOutcome.Repeated(new AppendResult(versions[r],
                        new Position(transactions[r], sequences[r]), true));
                case "conflict" -> new AppendOutcome.Conflict(versions[r]);
                case "deleted" -> new AppendOutcome.Deleted();
                case "duplicate" -> new AppendOutcome.Duplicate(eventIds[r]);
                case "different" -> new AppendOutcome.Different(eventIds[r]);
                default -> throw new SQLException("append function answered unknown outcome " + outcomes[r]);
            });
        }
        return result;
    }

    private static Object array(ResultSet row, int column) throws SQLException {
        Array array = row.getArray(column);
        return array == null ? null : array.getArray();
    }
}
