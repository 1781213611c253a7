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
import javax.sql.DataSource;

/**
 * Reads of the events that match a query. Like reads of all events they stop below the read
 * horizon (ADR 0003); a short page has scanned up to that horizon, so an append condition on
 * its end catches every event the read could not see yet (ADR 0008).
 */
final class QueryReads {

    private final DataSource dataSource;
    private final SchemaName schema;

    QueryReads(DataSource dataSource, SchemaName schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    QueryRead read(EventQuery query, Position after, int limit) throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        QuerySql matching = QuerySql.of(query, schema, "(SELECT horizon FROM h)");
        String sql = "WITH h AS (SELECT " + EventReads.HORIZON + " AS horizon), m AS (" + matching.positions() + ")"
                + " SELECT h.horizon, " + EventReads.EVENT_COLUMNS + " FROM h LEFT JOIN LATERAL ("
                + "SELECT x.* FROM " + schema.qualify("events") + " x JOIN m"
                + " ON x.transaction_id = m.transaction_id AND x.sequence = m.sequence"
                + " ORDER BY x.transaction_id, x.sequence LIMIT ?) e ON true";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = matching.bind(statement, connection, 1, after);
            statement.setInt(next, limit);
            var events = new ArrayList<RecordedEvent>(Math.min(limit, 256));
            long horizon = 0;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    horizon = rows.getLong(1);
                    if (rows.getObject(3) != null) {
                        events.add(EventReads.event(rows, StreamId.of(rows.getString(2))));
                    }
                }
            }
            Position scanned = events.size() == limit ? events.getLast().position() : new Position(horizon, 0);
            return new QueryRead(events, scanned.isAfter(after) ? scanned : after);
        }
    }
}
