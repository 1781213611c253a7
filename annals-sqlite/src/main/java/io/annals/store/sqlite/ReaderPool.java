package io.annals.store.sqlite;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A fixed set of read-only connections, handed out one read at a time. */
final class ReaderPool implements AutoCloseable {

    @FunctionalInterface
    interface Read<T> {
        T run(ReadConnection connection) throws SQLException;
    }

    private final Path file;
    private final BlockingQueue<ReadConnection> idle;
    private final List<ReadConnection> all = new ArrayList<>();
    private volatile boolean closed;

    ReaderPool(Path file, int size) throws SQLException {
        this.file = file;
        this.idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                var connection = new ReadConnection(Connections.openReader(file));
                all.add(connection);
                idle.add(connection);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    <T> T read(String action, Read<T> read) {
        ReadConnection connection = take();
        try {
            T result = read.run(connection);
            connection.endRead();
            return result;
        } catch (SQLException e) {
            connection.abandonRead();
            throw SqliteErrors.unavailable(file, action, e);
        } catch (RuntimeException e) {
            connection.abandonRead();
            throw e;
        } finally {
            idle.add(connection);
        }
    }

    private ReadConnection take() {
        try {
            while (true) {
                if (closed) {
                    throw SqliteErrors.closed(file);
                }
                ReadConnection connection = idle.poll(100, TimeUnit.MILLISECONDS);
                if (connection != null) {
                    return connection;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a read connection", e);
        }
    }

    /** Closes every connection; waits for reads in progress to hand theirs back. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < all.size(); i++) {
            try {
                ReadConnection connection = idle.poll(10, TimeUnit.SECONDS);
                if (connection != null) {
                    connection.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
