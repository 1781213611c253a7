package io.annals.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One read-only connection and its prepared statements. Used by one thread at a time (the pool
 * hands it out exclusively). It runs with auto-commit off so that the statements of one read see
 * one snapshot; {@link #endRead()} releases that snapshot so the WAL can be checkpointed.
 */
final class ReadConnection implements AutoCloseable {

    private final Connection connection;
    private final StatementCache statements;

    ReadConnection(Connection connection) throws SQLException {
        this.connection = connection;
        this.statements = new StatementCache(connection);
        connection.setAutoCommit(false);
    }

    /** The connection itself, for the caller's own queries; left in its read, which the pool ends. */
    Connection connection() {
        return connection;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        return statements.prepare(sql);
    }

    void endRead() throws SQLException {
        connection.commit();
    }

    void abandonRead() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the read already failed; a broken connection is reported by the next read
        }
    }

    @Override
    public void close() {
        statements.close();
        StoreFile.closeQuietly(connection);
    }
}
