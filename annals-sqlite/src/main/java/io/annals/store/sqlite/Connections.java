package io.annals.store.sqlite;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** Opens the two kinds of connection the store uses, with the pragmas each needs. */
final class Connections {

    private static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /**
     * SQLite's own checkpoint, run inside a commit, only as a backstop (about 40 MiB of WAL):
     * {@link WalCheckpointer} normally checkpoints long before, on its own thread.
     */
    private static final int BACKSTOP_CHECKPOINT_PAGES = 10_000;

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
        config.setWalAutocheckpoint(BACKSTOP_CHECKPOINT_PAGES);
        // the driver would otherwise prepare and run a second statement after every INSERT to fetch its rowid
        config.setGetGeneratedKeys(false);
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

    /** The connection that checkpoints the WAL in the background; it never writes rows. */
    static Connection openCheckpointer(Path file) throws SQLException {
        var config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        return config.createConnection(url(file));
    }

    private static String url(Path file) {
        return "jdbc:sqlite:" + file;
    }
}
