package io.annals.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies the WAL back into the database file on a thread of its own, so that the writer's
 * commits never wait for a checkpoint (which copies pages and, even with
 * {@code synchronous=NORMAL}, fsyncs). A PASSIVE checkpoint runs alongside the writer in WAL
 * mode. The writer keeps SQLite's own automatic checkpoint at a much larger size, as a backstop
 * for when this thread falls behind.
 */
final class WalCheckpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private final Path file;
    private final Connection connection;
    private final AtomicLong commits = new AtomicLong();
    private final PeriodicThread thread;
    /** Touched by the checkpointer's thread only. */
    private long checkpointedAt;

    WalCheckpointer(Path file) throws SQLException {
        this.file = file;
        this.connection = Connections.openCheckpointer(file);
        this.thread = new PeriodicThread("annals-sqlite-checkpointer", INTERVAL, this::checkpointIfCommitted);
    }

    /** Called by the writer after each commit; cheap, never blocks. */
    void committed() {
        commits.incrementAndGet();
    }

    private void checkpointIfCommitted() {
        long now = commits.get();
        if (now == checkpointedAt) {
            return;
        }
        checkpointedAt = now;
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            // the writer's backstop checkpoint still bounds the WAL; the next round tries again
            log.warn("background checkpoint of {} failed: {}", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.close();
        StoreFile.closeQuietly(connection);
    }
}
