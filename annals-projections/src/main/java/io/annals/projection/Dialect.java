package io.annals.projection;

import java.sql.Connection;
import java.sql.SQLException;

/** The SQL that differs between the databases a projection's read model can live in. */
public enum Dialect {
    POSTGRESQL("(extract(epoch from clock_timestamp()) * 1000)::bigint"),
    SQLITE("CAST(unixepoch('subsec') * 1000 AS INTEGER)");

    private final String nowMillis;

    Dialect(String nowMillis) {
        this.nowMillis = nowMillis;
    }

    /**
     * The database's clock in milliseconds. Leases are timed by the database so that the clocks
     * of the processes sharing it do not matter.
     */
    public String nowMillis() {
        return nowMillis;
    }

    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        return switch (product) {
            case "PostgreSQL" -> POSTGRESQL;
            case "SQLite" -> SQLITE;
            default -> throw new IllegalArgumentException("projections keep read models in PostgreSQL or SQLite, not "
                    + product);
        };
    }
}
