package io.annals.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One read-only connection and its prepared statements. Used by one thread at a time (the pool
 * hands it out exclusively). It runs with auto-commit off so that the statements of one read see
 * one snapshot; {@link #endRead()} releases that snapshot so the WAL can be checkpointed.
 */
final class ReadConnection implements AutoCloseable {

    private static final int MAX_STATEMENTS = 64;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true);

    ReadConnection(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
    }

    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            if (statements.size() >= MAX_STATEMENTS) {
                Iterator<PreparedStatement> eldest = statements.values().iterator();
                eldest.next().close();
                eldest.remove();
            }
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
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
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
        StoreFile.closeQuietly(connection);
    }
}
