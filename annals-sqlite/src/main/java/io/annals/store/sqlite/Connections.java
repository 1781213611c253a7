package io.annals.store.sqlite;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** Opens the two kinds of connection the store uses, with the pragmas each needs. */
final class Connections {

    private static final int BUSY_TIMEOUT_MILLIS = 5_000;

    private Connections() {
    }

    /**
     * The single writer. WAL mode is switched on separately, after the file was identified as an
     * Annals store, because switching it is itself a write to the file.
     */
    static Connection openWriter(Path file, Synchronous synchronous) throws SQLException {
        var config = new SQLiteConfig();
        config.setSynchronous(switch (synchronous) {
            case NORMAL -> SQLiteConfig.SynchronousMode.NORMAL;
            case FULL -> SQLiteConfig.SynchronousMode.FULL;
        });
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setCacheSize(-16_384); // 16 MiB of page cache
        Connection connection = config.createConnection(url(file));
        connection.setAutoCommit(false);
        return connection;
    }

    /** A read-only connection: in WAL mode readers see the last commit and never block the writer. */
    static Connection openReader(Path file) throws SQLException {
        var config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setCacheSize(-16_384);
        return config.createConnection(url(file));
    }

    private static String url(Path file) {
        return "jdbc:sqlite:" + file;
    }
}
