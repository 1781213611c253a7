package io.annals.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopping = lock.newCondition();
    private final Thread thread;
    private boolean running = true;

    WalCheckpointer(Path file) throws SQLException {
        this.file = file;
        this.connection = Connections.openCheckpointer(file);
        this.thread = Thread.ofPlatform().daemon().name("annals-sqlite-checkpointer").start(this::run);
    }

    /** Called by the writer after each commit; cheap, never blocks. */
    void committed() {
        commits.incrementAndGet();
    }

    private void run() {
        long checkpointedAt = 0;
        while (awaitNextRound()) {
            long now = commits.get();
            if (now != checkpointedAt) {
                checkpointedAt = now;
                checkpoint();
            }
        }
        checkpoint();
    }

    private boolean awaitNextRound() {
        lock.lock();
        try {
            if (running) {
                stopping.await(INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
            }
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void checkpoint() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            // the writer's backstop checkpoint still bounds the WAL; the next round tries again
            log.warn("background checkpoint of {} failed: {}", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            stopping.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StoreFile.closeQuietly(connection);
    }
}
