package io.annals.projection;

import io.annals.event.Position;
import io.annals.store.jdbc.JdbcEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The rows of {@code projection_checkpoints}: a checkpoint and a fenced lease per partition of a projection's generation. */
final class CheckpointTable {

    /** One partition's row as stored. */
    record Row(int partition, Position position, long fence, String owner, long leaseUntil) {
    }

    private final String table;
    private final Dialect dialect;

    CheckpointTable(JdbcEventStore store, Dialect dialect) {
        this.table = store.tableName("projection_checkpoints");
        this.dialect = dialect;
    }

    void ensure(Connection connection, String projection, int generation, int partitions) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (projection, generation, partition, position) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (projection, generation, partition) DO NOTHING")) {
            for (int partition = 0; partition < partitions; partition++) {
                insert.setString(1, projection);
                insert.setInt(2, generation);
                insert.setInt(3, partition);
                insert.setString(4, Position.START.toString());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Takes the partition when it is free, expired or already ours; each claim gets a new fence. */
    Optional<Lease> claim(Connection connection, String projection, int generation, int partition, String owner,
                          long leaseMillis) throws SQLException {
        String now = dialect.nowMillis();
        try (PreparedStatement claim = connection.prepareStatement("UPDATE " + table
                + " SET owner = ?, fence = fence + 1, lease_until = " + now + " + ?"
                + " WHERE projection = ? AND generation = ? AND partition = ?"
                + " AND (owner IS NULL OR owner = ? OR lease_until < " + now + ")"
                + " RETURNING fence, position")) {
            claim.setString(1, owner);
            claim.setLong(2, leaseMillis);
            claim.setString(3, projection);
            claim.setInt(4, generation);
            claim.setInt(5, partition);
            claim.setString(6, owner);
            try (ResultSet row = claim.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Lease(projection, generation, partition, row.getLong(1),
                        Position.parse(row.getString(2))));
            }
        }
    }

    /** Extends a lease; false when another runtime has taken the partition since. */
    boolean renew(Connection connection, Lease lease, String owner, long leaseMillis) throws SQLException {
        try (PreparedStatement renew = connection.prepareStatement("UPDATE " + table
                + " SET lease_until = " + dialect.nowMillis() + " + ?"
                + " WHERE projection = ? AND generation = ? AND partition = ? AND fence = ? AND owner = ?")) {
            renew.setLong(1, leaseMillis);
            renew.setString(2, lease.projection());
            renew.setInt(3, lease.generation());
            renew.setInt(4, lease.partition());
            renew.setLong(5, lease.fence());
            renew.setString(6, owner);
            return renew.executeUpdate() == 1;
        }
    }

    void release(Connection connection, Lease lease) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("UPDATE " + table
                + " SET owner = NULL, lease_until = 0"
                + " WHERE projection = ? AND generation = ? AND partition = ? AND fence = ?")) {
            release.setString(1, lease.projection());
            release.setInt(2, lease.generation());
            release.setInt(3, lease.partition());
            release.setLong(4, lease.fence());
            release.executeUpdate();
        }
    }

    /** Moves the checkpoint in the caller's transaction; false (and nothing written) when the fence is stale. */
    boolean advance(Connection connection, Lease lease, Position position) throws SQLException {
        try (PreparedStatement advance = connection.prepareStatement("UPDATE " + table
                + " SET position = ? WHERE projection = ? AND generation = ? AND partition = ? AND fence = ?")) {
            advance.setString(1, position.toString());
            advance.setString(2, lease.projection());
            advance.setInt(3, lease.generation());
            advance.setInt(4, lease.partition());
            advance.setLong(5, lease.fence());
            return advance.executeUpdate() == 1;
        }
    }

    /**
     * Whether the lease is still the partition's current one, locking its row until the caller's
     * transaction ends, so that no other runtime can claim the partition before it commits.
     */
    boolean confirm(Connection connection, Lease lease) throws SQLException {
        try (PreparedStatement touch = connection.prepareStatement("UPDATE " + table
                + " SET fence = fence WHERE projection = ? AND generation = ? AND partition = ? AND fence = ?")) {
            touch.setString(1, lease.projection());
            touch.setInt(2, lease.generation());
            touch.setInt(3, lease.partition());
            touch.setLong(4, lease.fence());
            return touch.executeUpdate() == 1;
        }
    }

    /** Whether the lease is still the partition's current one. */
    boolean holds(Connection connection, Lease lease) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM " + table
                + " WHERE projection = ? AND generation = ? AND partition = ? AND fence = ?")) {
            select.setString(1, lease.projection());
            select.setInt(2, lease.generation());
            select.setInt(3, lease.partition());
            select.setLong(4, lease.fence());
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Sets a checkpoint regardless of leases: for operations on a stopped partition (dead letters, resets). */
    void set(Connection connection, String projection, int generation, int partition, Position position)
            throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("UPDATE " + table
                + " SET position = ? WHERE projection = ? AND generation = ? AND partition = ?")) {
            set.setString(1, position.toString());
            set.setString(2, projection);
            set.setInt(3, generation);
            set.setInt(4, partition);
            set.executeUpdate();
        }
    }

    List<Row> rows(Connection connection, String projection, int generation) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT partition, position, fence, owner, lease_until"
                + " FROM " + table + " WHERE projection = ? AND generation = ? ORDER BY partition")) {
            select.setString(1, projection);
            select.setInt(2, generation);
            try (ResultSet rows = select.executeQuery()) {
                var result = new ArrayList<Row>();
                while (rows.next()) {
                    result.add(new Row(rows.getInt(1), Position.parse(rows.getString(2)), rows.getLong(3),
                            rows.getString(4), rows.getLong(5)));
                }
                return result;
            }
        }
    }

    void delete(Connection connection, String projection, int generation) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                + " WHERE projection = ? AND generation = ?")) {
            delete.setString(1, projection);
            delete.setInt(2, generation);
            delete.executeUpdate();
        }
    }
}
