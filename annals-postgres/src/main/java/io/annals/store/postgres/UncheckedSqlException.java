package io.annals.store.postgres;

import java.sql.SQLException;

/**
 * The caller's own SQL inside {@link PostgresEventStore#inTransaction} failed (a constraint of its
 * read model, a syntax error); the transaction was rolled back. Failures of the connection itself
 * are reported as {@link io.annals.store.EventStoreUnavailableException} instead.
 */
public final class UncheckedSqlException extends RuntimeException {

    public UncheckedSqlException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
