package io.annals.store.postgres;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventQuery;
import io.annals.store.QueryRead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Reads of the events that match a query. Like reads of all events they stop below the read
 * horizon (ADR 0003); a short page has scanned up to that horizon, so an append condition on
 * its end catches every event the read could not see yet (ADR 0008). The same statement finds
 * the matching events that have committed but are still held back behind the horizon, so that
 * a caller waits for the horizon only when the query has something to wait for: a read by query
 * that no recent write matches never waits, however busy the store.
 */
final class QueryReads {

    /**
     * A page, and the highest transaction stamp, up to the one asked about, of a committed
     * matching event that the horizon still holds back, if there is one.
     */
    record Page(QueryRead read, OptionalLong heldBack) {
    }

    private final DataSource dataSource;
    private final SchemaName schema;

    QueryReads(DataSource dataSource, SchemaName schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /** @param known the highest transaction stamp whose held-back events are worth knowing of */
    Page read(EventQuery query, Position after, int limit, long known) throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        String horizon = "(SELECT horizon FROM h)";
        QuerySql matching = QuerySql.below(query, schema, horizon);
        QuerySql heldBack = QuerySql.heldBack(query, schema, horizon);
        String sql = "WITH h AS (SELECT " + EventReads.HORIZON + " AS horizon), m AS (" + matching.positions() + ")"
                + " SELECT h.horizon, " + EventReads.EVENT_COLUMNS
                + ", (SELECT max(b.transaction_id) FROM (" + heldBack.positions() + ") b WHERE b.transaction_id <= ?) AS held_back FROM h LEFT JOIN LATERAL ("
                + "SELECT x.* FROM " + schema.qualify("events") + " x JOIN m"
                + " ON x.transaction_id = m.transaction_id AND x.sequence = m.sequence"
                + " ORDER BY x.transaction_id, x.sequence LIMIT ?) e ON true";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = matching.bind(statement, connection, 1, after);
            next = heldBack.bind(statement, connection, next, after);
            statement.setLong(next++, known);
            statement.setInt(next, limit);
            var events = new ArrayList<RecordedEvent>(Math.min(limit, 256));
            long horizonStamp = 0;
            OptionalLong held = OptionalLong.empty();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    horizonStamp = rows.getLong(1);
                    long highest = rows.getLong("held_back");
                    held = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(highest);
                    if (rows.getObject(3) != null) {
                        events.add(EventReads.event(rows, StreamId.of(rows.getString(2))));
                    }
                }
            }
            Position scanned = events.size() == limit ? events.getLast().position() : new Position(horizonStamp, 0);
            return new Page(new QueryRead(events, scanned.isAfter(after) ? scanned : after), held);
        }
    }
}
