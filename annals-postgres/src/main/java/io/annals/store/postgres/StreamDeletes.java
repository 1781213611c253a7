package io.annals.store.postgres;

import io.annals.event.StreamId;
import io.annals.store.DeleteMode;
import io.annals.store.ExpectedVersion;
import io.annals.store.StreamDeletedException;
import io.annals.store.WrongExpectedVersionException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import javax.sql.DataSource;

/**
 * Soft and hard deletes. A delete locks the stream's row like an append does, so a delete and an
 * append of the same stream are never both checked against the same version.
 */
final class StreamDeletes {

    private final DataSource dataSource;
    private final String lockSql;
    private final String stateSql;
    private final String softSql;
    private final String hardSql;

    StreamDeletes(DataSource dataSource, SchemaName schema) {
        this.dataSource = dataSource;
        String streams = schema.qualify("streams");
        this.lockSql = "INSERT INTO " + streams + " AS st (stream_id) VALUES (?)"
                + " ON CONFLICT (stream_id) DO UPDATE SET version = st.version WHERE false";
        String visible = schema.qualify("visible_version") + "(version, deleted_through)";
        // the same rule as the append's (migration V4)
        this.stateSql = "SELECT tombstoned, " + visible + ", " + schema.qualify("expected_version_holds")
                + "(?::" + schema.qualify("expected_version") + ", ?, " + visible + ") FROM " + streams
                + " WHERE stream_id = ?";
        this.softSql = "UPDATE " + streams + " SET deleted_through = version WHERE stream_id = ?";
        this.hardSql = "UPDATE " + streams + " SET tombstoned = true WHERE stream_id = ?";
    }

    void delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                execute(connection, lockSql, streamId);
                try (PreparedStatement statement = connection.prepareStatement(stateSql)) {
                    statement.setString(1, AppendRequest.label(expected));
                    statement.setObject(2, AppendRequest.exactVersion(expected), Types.BIGINT);
                    statement.setString(3, streamId.value());
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        if (row.getBoolean(1)) {
                            throw new StreamDeletedException(streamId);
                        }
                        if (!row.getBoolean(3)) {
                            throw new WrongExpectedVersionException(streamId, expected, row.getLong(2));
                        }
                    }
                }
                execute(connection, mode == DeleteMode.SOFT ? softSql : hardSql, streamId);
                connection.commit();
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static void execute(Connection connection, String sql, StreamId streamId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, streamId.value());
            statement.executeUpdate();
        }
    }

    static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
