package io.annals.store.sqlite;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.snapshot.Snapshot;
import io.annals.store.EventFilter;
import io.annals.store.EventQuery;
import io.annals.store.QueryRead;
import io.annals.store.ReadDirection;
import io.annals.store.StreamDeletedException;
import io.annals.store.StreamState;
import io.annals.store.jdbc.JdbcReadWork;
import io.annals.store.jdbc.JdbcWorkException;

import io.annals.store.jsonlines.ExportResult;
import io.annals.store.jsonlines.JsonLinesWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every read of the store, each one statement or one snapshot on a pooled read-only connection. */
final class StoreReads {

    private static final String EVENT_COLUMNS =
            "position, version, event_id, type, data, metadata, recorded_at, occurred_at, tags";
    private static final String HEAD = "SELECT coalesce(max(position), 0) FROM events";

    private static final String DELETION = "SELECT deleted_through, tombstoned FROM stream_deletions WHERE stream_id = ?";
    private static final String STREAM_FORWARD = "SELECT " + EVENT_COLUMNS
            + " FROM stream_events WHERE stream_id = ? AND version >= ? ORDER BY version LIMIT ?";
    private static final String STREAM_BACKWARD = "SELECT " + EVENT_COLUMNS
            + " FROM stream_events WHERE stream_id = ? AND version <= ? AND version >= ? ORDER BY version DESC LIMIT ?";
    private static final String ALL_EVENTS = "SELECT " + EVENT_COLUMNS + ", stream_id FROM events ORDER BY position";
    private static final String ALL_DELETIONS =
            "SELECT stream_id, deleted_through, tombstoned FROM stream_deletions ORDER BY stream_id";
    private static final String SNAPSHOT =
            "SELECT version, state_type, state, taken_at FROM snapshots WHERE stream_id = ?";

    private final ReaderPool pool;
    private final StreamIds streamIds;

    StoreReads(ReaderPool pool, StreamIds streamIds) {
        this.pool = pool;
        this.streamIds = streamIds;
    }

    List<RecordedEvent> readStream(StreamId streamId, long fromVersion, ReadDirection direction, int limit) {
        requirePositive(limit);
        return pool.read("reading stream " + streamId, connection -> {
            long firstVisible = firstVisibleVersion(connection, streamId);
            PreparedStatement statement;
            if (direction == ReadDirection.FORWARD) {
                statement = connection.prepare(STREAM_FORWARD);
                statement.setString(1, streamId.value());
                statement.setLong(2, Math.max(fromVersion, firstVisible));
                statement.setInt(3, limit);
            } else {
                statement = connection.prepare(STREAM_BACKWARD);
                statement.setString(1, streamId.value());
                statement.setLong(2, fromVersion);
                statement.setLong(3, firstVisible);
                statement.setInt(4, limit);
            }
            var events = new ArrayList<RecordedEvent>(Math.min(limit, 256));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(event(rows, streamId));
                }
            }
            return events;
        });
    }

    StreamState streamState(StreamId streamId) {
        return pool.read("reading the state of stream " + streamId, connection -> {
            Deletion deletion = deletion(connection, streamId);
            if (deletion.tombstoned()) {
                return StreamState.tombstoned();
            }
            PreparedStatement statement = connection.prepare(UnindexedTail.LAST_VERSION);
            statement.setString(1, streamId.value());
            long last;
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                last = rows.getLong(1);
                if (rows.wasNull()) {
                    last = -1;
                }
            }
            return last > deletion.deletedThrough() ? StreamState.active(last) : StreamState.absent();
        });
    }

    List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
        requirePositive(limit);
        if (after.transaction() > 0) {
            return List.of(); // a position of another store's kind sorts after every position of this one
        }
        String sql = allEventsQuery(filter);
        return pool.read("reading all events", connection -> {
            PreparedStatement statement = connection.prepare(sql);
            int parameter = 1;
            statement.setLong(parameter++, after.sequence());
            for (String type : filter.eventTypes()) {
                statement.setString(parameter++, type);
            }
            if (!filter.streamPrefix().isEmpty()) {
                statement.setInt(parameter++, filter.streamPrefix().length());
                statement.setString(parameter++, filter.streamPrefix());
            }
            statement.setInt(parameter, limit);
            var events = new ArrayList<RecordedEvent>(Math.min(limit, 1024));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(event(rows, streamIds.of(rows.getString(10))));
                }
            }
            return events;
        });
    }

    /** Writes every event, then every deletion, from one snapshot of the file. */
    ExportResult export(OutputStream out) throws IOException {
        try {
            return pool.read("exporting", connection -> {
                try (var writer = new JsonLinesWriter(out)) {
                    try (ResultSet rows = connection.prepare(ALL_EVENTS).executeQuery()) {
                        while (rows.next()) {
                            writer.writeEvent(event(rows, streamIds.of(rows.getString(10))));
                        }
                    }
                    try (ResultSet rows = connection.prepare(ALL_DELETIONS).executeQuery()) {
                        while (rows.next()) {
                            writer.writeDeletions(streamIds.of(rows.getString(1)), rows.getLong(2), rows.getInt(3) != 0);
                        }
                    }
                    return writer.result();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The caller's own queries, on a pooled read-only connection; one snapshot for all of them. */
    <T> T ownQueries(JdbcReadWork<T> work) {
        return pool.read("running your queries", connection -> {
            try {
                return work.run(connection.connection());
            } catch (SQLException e) {
                // the caller's statement failed, not the store: no "unavailable" for that
                throw new JdbcWorkException("a query of yours failed", e);
            }
        });
    }

    /** The position of the last event; START in an empty store. */
    Position lastPosition() {
        return pool.read("reading the last position", connection -> Position.of(head(connection)));
    }

    /**
     * The events matching {@code query} after {@code after}, up to the head of the log when the
     * read began; a short page has scanned to that head.
     */
    QueryRead read(EventQuery query, Position after, int limit) {
        requirePositive(limit);
        QueryStatements statements = QueryStatements.of(query);
        String sql = statements.eventsSql(EVENT_COLUMNS + ", stream_id");
        return pool.read("reading events by query", connection -> {
            long head = head(connection);
            if (after.transaction() > 0 || after.sequence() >= head) {
                return new QueryRead(List.of(), after);
            }
            PreparedStatement statement = connection.prepare(sql);
            statements.bind(statement, after.sequence(), head, limit);
            var events = new ArrayList<RecordedEvent>(Math.min(limit, 256));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(event(rows, streamIds.of(rows.getString(10))));
                }
            }
            Position scanned = events.size() == limit ? events.getLast().position() : Position.of(head);
            return new QueryRead(events, scanned);
        });
    }

    Optional<Snapshot> loadSnapshot(StreamId streamId) {
        return pool.read("loading the snapshot of " + streamId, connection -> {
            PreparedStatement statement = connection.prepare(SNAPSHOT);
            statement.setString(1, streamId.value());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Snapshot(streamId, rows.getLong(1), rows.getString(2), rows.getString(3),
                        EventColumns.instant(rows.getLong(4))));
            }
        });
    }

    private static String allEventsQuery(EventFilter filter) {
        var sql = new StringBuilder("SELECT ").append(EVENT_COLUMNS).append(", stream_id FROM events WHERE position > ?");
        if (!filter.eventTypes().isEmpty()) {
            sql.append(" AND type IN (").append("?, ".repeat(filter.eventTypes().size() - 1)).append("?)");
        }
        if (!filter.streamPrefix().isEmpty()) {
            sql.append(" AND substr(stream_id, 1, ?) = ?");
        }
        return sql.append(" ORDER BY position LIMIT ?").toString();
    }

    private static long head(ReadConnection connection) throws SQLException {
        try (ResultSet rows = connection.prepare(HEAD).executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** What deletes did to a stream; most streams were never deleted and have no row. */
    private record Deletion(long deletedThrough, boolean tombstoned) {
        static final Deletion NONE = new Deletion(-1, false);
    }

    private static Deletion deletion(ReadConnection connection, StreamId streamId) throws SQLException {
        PreparedStatement statement = connection.prepare(DELETION);
        statement.setString(1, streamId.value());
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? new Deletion(rows.getLong(1), rows.getInt(2) != 0) : Deletion.NONE;
        }
    }

    /**
     * The first version a reader may see: 0, or one past a soft delete. A tombstone is reported
     * through the exception, thrown inside the read so that the connection is handed back.
     */
    private static long firstVisibleVersion(ReadConnection connection, StreamId streamId) throws SQLException {
        Deletion deletion = deletion(connection, streamId);
        if (deletion.tombstoned()) {
            throw new StreamDeletedException(streamId);
        }
        return deletion.deletedThrough() + 1;
    }

    private static RecordedEvent event(ResultSet rows, StreamId streamId) throws SQLException {
        return new RecordedEvent(
                streamId,
                rows.getLong(2),
                Position.of(rows.getLong(1)),
                EventColumns.uuid(rows.getBytes(3)),
                rows.getString(4),
                rows.getString(5),
                EventColumns.metadata(rows.getString(6)),
                EventColumns.instant(rows.getLong(7)),
                EventColumns.instant(rows.getLong(8)),
                EventColumns.tags(rows.getString(9)));
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
    }
}
