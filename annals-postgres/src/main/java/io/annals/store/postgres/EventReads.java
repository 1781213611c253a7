package io.annals.store.postgres;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.EventFilter;
import io.annals.store.ReadDirection;
import io.annals.store.StreamDeletedException;
import io.annals.store.StreamState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads of one stream and of all events. Reads of all events stop below the oldest transaction
 * still running, so an event that commits late with a low sequence is never skipped (ADR 0003).
 */
final class EventReads {

    static final String EVENT_COLUMNS = "e.stream_id, e.version, e.transaction_id, e.sequence, e.event_id, "
            + "e.type, e.data, e.metadata, e.recorded_at, coalesce(e.occurred_at, e.recorded_at), e.tags";

    /** The oldest transaction id that may still commit; everything below it is final. */
    static final String HORIZON = "(pg_snapshot_xmin(pg_current_snapshot())::text::bigint)";

    private final DataSource dataSource;
    private final String readForwardSql;
    private final String readBackwardSql;
    private final String streamStateSql;
    private final String readAllSql;
    private final String readAllByTypeSql;
    private final String readAllByPrefixSql;
    private final String readAllByTypeAndPrefixSql;
    private final String lastPositionSql;

    EventReads(DataSource dataSource, SchemaName schema) {
        this.dataSource = dataSource;
        String streams = schema.qualify("streams");
        String events = schema.qualify("events");
        this.readForwardSql = "SELECT s.tombstoned, " + EVENT_COLUMNS + " FROM " + streams + " s"
                + " LEFT JOIN LATERAL (SELECT * FROM " + events + " x WHERE x.stream_id = s.stream_id"
                + " AND NOT s.tombstoned AND x.version >= greatest(?, s.deleted_through + 1)"
                + " ORDER BY x.version LIMIT ?) e ON true WHERE s.stream_id = ?";
        this.readBackwardSql = "SELECT s.tombstoned, " + EVENT_COLUMNS + " FROM " + streams + " s"
                + " LEFT JOIN LATERAL (SELECT * FROM " + events + " x WHERE x.stream_id = s.stream_id"
                + " AND NOT s.tombstoned AND x.version <= ? AND x.version > s.deleted_through"
                + " ORDER BY x.version DESC LIMIT ?) e ON true WHERE s.stream_id = ?";
        this.streamStateSql = "SELECT version, deleted_through, tombstoned FROM " + streams + " WHERE stream_id = ?";
        String readAll = "SELECT true, " + EVENT_COLUMNS + " FROM " + events + " e"
                + " WHERE (e.transaction_id, e.sequence) > (?, ?) AND e.transaction_id < " + HORIZON;
        String order = " ORDER BY e.transaction_id, e.sequence LIMIT ?";
        this.readAllSql = readAll + order;
        this.readAllByTypeSql = readAll + " AND e.type = ANY (?)" + order;
        this.readAllByPrefixSql = readAll + " AND starts_with(e.stream_id, ?)" + order;
        this.readAllByTypeAndPrefixSql = readAll + " AND e.type = ANY (?) AND starts_with(e.stream_id, ?)" + order;
        this.lastPositionSql = "SELECT transaction_id, sequence FROM " + events + " WHERE transaction_id < " + HORIZON
                + " ORDER BY transaction_id DESC, sequence DESC LIMIT 1";
    }

    /** The current read horizon: events stamped below it are final. */
    long horizon() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT " + HORIZON);
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The position of the last event readers of all events can see; START when there is none. */
    Position lastPosition() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(lastPositionSql);
             ResultSet row = statement.executeQuery()) {
            return row.next() ? new Position(row.getLong(1), row.getLong(2)) : Position.START;
        }
    }

    List<RecordedEvent> readStream(StreamId streamId, long fromVersion, ReadDirection direction, int limit)
            throws SQLException {
        requirePositive(limit);
        String sql = direction == ReadDirection.FORWARD ? readForwardSql : readBackwardSql;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, fromVersion);
            statement.setInt(2, limit);
            statement.setString(3, streamId.value());
            try (ResultSet rows = statement.executeQuery()) {
                var events = new ArrayList<RecordedEvent>(Math.min(limit, 256));
                while (rows.next()) {
                    if (rows.getBoolean(1)) {
                        throw new StreamDeletedException(streamId);
                    }
                    if (rows.getObject(3) != null) {
                        events.add(event(rows, streamId));
                    }
                }
                return events;
            }
        }
    }

    StreamState streamState(StreamId streamId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(streamStateSql)) {
            statement.setString(1, streamId.value());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return StreamState.absent();
                }
                if (rows.getBoolean(3)) {
                    return StreamState.tombstoned();
                }
                long version = rows.getLong(1);
                return version > rows.getLong(2) ? StreamState.active(version) : StreamState.absent();
            }
        }
    }

    List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) throws SQLException {
        requirePositive(limit);
        boolean byType = !filter.eventTypes().isEmpty();
        boolean byPrefix = !filter.streamPrefix().isEmpty();
        String sql = byType ? (byPrefix ? readAllByTypeAndPrefixSql : readAllByTypeSql)
                : (byPrefix ? readAllByPrefixSql : readAllSql);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            statement.setLong(p++, after.transaction());
            statement.setLong(p++, after.sequence());
            if (byType) {
                statement.setArray(p++, connection.createArrayOf("text", filter.eventTypes().toArray()));
            }
            if (byPrefix) {
                statement.setString(p++, filter.streamPrefix());
            }
            statement.setInt(p, limit);
            try (ResultSet rows = statement.executeQuery()) {
                var events = new ArrayList<RecordedEvent>(Math.min(limit, 1024));
                while (rows.next()) {
                    events.add(event(rows, StreamId.of(rows.getString(2))));
                }
                return events;
            }
        }
    }

    /** Maps a row whose columns are {@code flag, }{@link #EVENT_COLUMNS}. */
    static RecordedEvent event(ResultSet row, StreamId streamId) throws SQLException {
        return new RecordedEvent(
                streamId,
                row.getLong(3),
                new Position(row.getLong(4), row.getLong(5)),
                row.getObject(6, UUID.class),
                row.getString(7),
                row.getString(8),
                MetadataJson.read(row.getString(9)),
                row.getObject(10, OffsetDateTime.class).toInstant(),
                row.getObject(11, OffsetDateTime.class).toInstant(),
                tags(row.getArray(12)));
    }

    private static Set<Tag> tags(Array column) throws SQLException {
        if (column == null) {
            return Set.of();
        }
        var tags = new ArrayList<Tag>();
        for (Object text : (Object[]) column.getArray()) {
            tags.add(Tag.parse((String) text));
        }
        return Tag.setOf(tags);
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
    }
}
