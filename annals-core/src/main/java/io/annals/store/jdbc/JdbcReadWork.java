package io.annals.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** The caller's own queries for {@link JdbcEventStore#read}, on a read-only connection. */
@FunctionalInterface
public interface JdbcReadWork<T> {

    T run(Connection connection) throws SQLException;
}
