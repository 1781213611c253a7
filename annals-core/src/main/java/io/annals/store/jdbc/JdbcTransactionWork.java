package io.annals.store.jdbc;

import java.sql.SQLException;

@FunctionalInterface
public interface JdbcTransactionWork<T> {

    T run(JdbcTransaction transaction) throws SQLException;
}
