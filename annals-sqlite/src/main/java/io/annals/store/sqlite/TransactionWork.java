package io.annals.store.sqlite;

import java.sql.SQLException;

/** Work run inside one write transaction; see {@link SqliteEventStore#inTransaction}. */
@FunctionalInterface
public interface TransactionWork<T> {

    T run(SqliteTransaction transaction) throws SQLException;
}
