package io.annals.projection;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.jdbc.JdbcEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The rows of {@code projection_dead_letters}. */
final class DeadLetterTable {

    /** Errors are kept to this many characters. */
    static final int MAX_ERROR = 4000;
    private static final String COLUMNS = "id, projection, generation, partition, event_id, stream_id, version, position, event_type,"
            + " error, attempts, blocking, parked_at";

    private final String table;

    DeadLetterTable(JdbcEventStore store) {
        this.table = store.tableName("projection_dead_letters");
    }

    void park(Connection connection, String projection, int generation, int partition, RecordedEvent event,
              Throwable error, int attempts, boolean blocking) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (projection, generation, partition, event_id, stream_id, version, position, event_type, error,"
                + " attempts, blocking, parked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (projection, generation, event_id) DO UPDATE SET error = excluded.error,"
                + " attempts = excluded.attempts, blocking = excluded.blocking, parked_at = excluded.parked_at")) {
            insert.setString(1, projection);
            insert.setInt(2, generation);
            insert.setInt(3, partition);
            insert.setString(4, event.eventId().toString());
            insert.setString(5, event.streamId().value());
            insert.setLong(6, event.version());
            insert.setString(7, event.position().toString());
            insert.setString(8, event.type());
            insert.setString(9, describe(error));
            insert.setInt(10, attempts);
            insert.setBoolean(11, blocking);
            insert.setLong(12, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    void recordFailure(Connection connection, long id, Throwable error) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                + " SET error = ?, attempts = attempts + 1 WHERE id = ?")) {
            update.setString(1, describe(error));
            update.setLong(2, id);
            update.executeUpdate();
        }
    }

    boolean delete(Connection connection, long id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            delete.setLong(1, id);
            return delete.executeUpdate() == 1;
        }
    }

    void deleteGeneration(Connection connection, String projection, int generation) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                + " WHERE projection = ? AND generation = ?")) {
            delete.setString(1, projection);
            delete.setInt(2, generation);
            delete.executeUpdate();
        }
    }

    Optional<DeadLetter> find(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table
                + " WHERE id = ?")) {
            select.setLong(1, id);
            return read(select).stream().findFirst();
        }
    }

    /** The blocking dead letter of a partition, if it is stopped. */
    Optional<DeadLetter> blocking(Connection connection, String projection, int generation, int partition)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table
                + " WHERE projection = ? AND generation = ? AND partition = ? AND blocking = ? ORDER BY id LIMIT 1")) {
            select.setString(1, projection);
            select.setInt(2, generation);
            select.setInt(3, partition);
            select.setBoolean(4, true);
            return read(select).stream().findFirst();
        }
    }

    /** Dead letters in the order they were parked; of one projection, or of all when {@code projection} is null. */
    List<DeadLetter> list(Connection connection, String projection, int limit) throws SQLException {
        String where = projection == null ? "" : " WHERE projection = ?";
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table + where
                + " ORDER BY id LIMIT ?")) {
            int index = 1;
            if (projection != null) {
                select.setString(index++, projection);
            }
            select.setInt(index, limit);
            return read(select);
        }
    }

    private static List<DeadLetter> read(PreparedStatement select) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            var result = new ArrayList<DeadLetter>();
            while (rows.next()) {
                result.add(new DeadLetter(rows.getLong(1), rows.getString(2), rows.getInt(3), rows.getInt(4),
                        UUID.fromString(rows.getString(5)), StreamId.of(rows.getString(6)), rows.getLong(7),
                        Position.parse(rows.getString(8)), rows.getString(9), rows.getString(10), rows.getInt(11),
                        rows.getBoolean(12), Instant.ofEpochMilli(rows.getLong(13))));
            }
            return result;
        }
    }

    static String describe(Throwable error) {
        String text = error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
    }
}
