package io.annals.projection;

import io.annals.store.jdbc.JdbcEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The rows of {@code projections}: each projection's current generation and partition count. */
final class ProjectionTable {

    record Row(int generation, int partitions) {
    }

    private final String table;

    ProjectionTable(JdbcEventStore store) {
        this.table = store.tableName("projections");
    }

    /** The projection's row, inserted with generation 1 when it is new. */
    Row register(Connection connection, String name, int partitions) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (name, generation, partitions) VALUES (?, 1, ?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, name);
            insert.setInt(2, partitions);
            insert.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT generation, partitions FROM " + table
                + " WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new Row(row.getInt(1), row.getInt(2));
            }
        }
    }

    /** Moves to the next generation, with its partition count; false when the generation was not {@code from}. */
    boolean advance(Connection connection, String name, int from, int partitions) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                + " SET generation = ?, partitions = ? WHERE name = ? AND generation = ?")) {
            update.setInt(1, from + 1);
            update.setInt(2, partitions);
            update.setString(3, name);
            update.setInt(4, from);
            return update.executeUpdate() == 1;
        }
    }

    /** The projection's current generation, 0 when it is not known. */
    int generation(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT generation FROM " + table + " WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getInt(1) : 0;
            }
        }
    }
}
