package io.annals.store.jdbc;

import java.sql.SQLException;

/**
 * The caller's own SQL inside {@link JdbcEventStore#inTransaction} failed, and the whole
 * transaction, appends included, was rolled back; or a query inside {@link JdbcEventStore#read}
 * failed. The cause is the {@link SQLException}.
 */
public final class JdbcWorkException extends RuntimeException {

    public JdbcWorkException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    @Override
    public synchronized SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
