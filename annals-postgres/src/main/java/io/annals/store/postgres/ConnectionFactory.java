package io.annals.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a database connection outside any pool, for the long-lived LISTEN connection. */
@FunctionalInterface
public interface ConnectionFactory {

    Connection open() throws SQLException;
}
