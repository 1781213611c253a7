package io.annals.bench.subject;

import io.annals.bench.db.SqliteBenchDatabase;
import io.annals.bench.workload.BenchEvent;
import io.annals.bench.workload.StreamChunk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The plain sqlite-jdbc way of storing events: one writer connection shared under a lock (SQLite
 * admits one writer at a time, so more connections only add lock retries), WAL journal with the
 * same synchronous mode as the Annals SQLite store, and a separate connection for reads.
 */
public final class RawSqliteSubject implements BenchSubject, BenchSubject.SingleAppender,
        BenchSubject.BatchAppender, BenchSubject.BulkImporter, BenchSubject.AllEventsScanner,
        BenchSubject.StreamLoader, BenchSubject.Exporter {

    public static final String NAME = "raw-jdbc";
    private static final int PAGE_SIZE = 1000;
    private static final int IMPORT_TRANSACTION_ROWS = 10_000;

    private static final String INSERT = "INSERT INTO raw_events (stream_id, version, event_id, type, data, metadata)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    private static final String SELECT_COLUMNS = "SELECT id, stream_id, version, event_id, type, data, metadata, recorded_at"
            + " FROM raw_events ";

    record RawEvent(long id, String streamId, long version, String eventId, String type, String data,
                    String metadata, long recordedAt) {
    }

    private final Path file;
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final PreparedStatement insert;

    private RawSqliteSubject(Path file, String synchronousMode) throws SQLException {
        this.file = file;
        this.writer = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (var statement = writer.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("PRAGMA synchronous=" + synchronousMode);
            statement.execute("""
                    CREATE TABLE raw_events (
                      id INTEGER PRIMARY KEY,
                      stream_id TEXT NOT NULL,
                      version INTEGER NOT NULL,
                      event_id TEXT NOT NULL,
                      type TEXT NOT NULL,
                      data TEXT NOT NULL,
                      metadata TEXT NOT NULL,
                      recorded_at INTEGER NOT NULL DEFAULT (unixepoch('subsec') * 1000),
                      UNIQUE (stream_id, version)
                    )""");
        }
        this.insert = writer.prepareStatement(INSERT);
        this.reader = DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /**
     * @param synchronousMode {@code NORMAL} or {@code FULL}: the same as the Annals store's, so that
     *                        both pay the same for durability
     */
    public static SubjectFactory factory(SqliteBenchDatabase database, String synchronousMode) {
        if (!synchronousMode.matches("OFF|NORMAL|FULL|EXTRA")) {
            throw new IllegalArgumentException("not an SQLite synchronous mode: " + synchronousMode);
        }
        return new SubjectFactory() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public BenchSubject open(String caseName, int connections) throws SQLException {
                return new RawSqliteSubject(database.freshFile(caseName, NAME), synchronousMode);
            }
        };
    }

    @Override
    public void appendOne(String streamId, long version, BenchEvent event) throws SQLException {
        writeLock.lock();
        try {
            bind(streamId, version, event);
            insert.executeUpdate();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void appendBatch(StreamChunk chunk) throws SQLException {
        writeLock.lock();
        try {
            writer.setAutoCommit(false);
            try {
                long version = chunk.firstVersion();
                for (BenchEvent event : chunk.events()) {
                    bind(chunk.streamId(), version++, event);
                    insert.addBatch();
                }
                insert.executeBatch();
                writer.commit();
            } catch (SQLException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public PreparedImport prepareImport(List<StreamChunk> chunks) {
        return () -> insertInLargeTransactions(chunks);
    }

    private void insertInLargeTransactions(List<StreamChunk> chunks) throws SQLException {
        writeLock.lock();
        try {
            writer.setAutoCommit(false);
            int rows = 0;
            for (StreamChunk chunk : chunks) {
                long version = chunk.firstVersion();
                for (BenchEvent event : chunk.events()) {
                    bind(chunk.streamId(), version++, event);
                    insert.addBatch();
                    if (++rows % IMPORT_TRANSACTION_ROWS == 0) {
                        insert.executeBatch();
                        writer.commit();
                    }
                }
            }
            insert.executeBatch();
            writer.commit();
        } finally {
            writer.setAutoCommit(true);
            writeLock.unlock();
        }
    }

    private void bind(String streamId, long version, BenchEvent event) throws SQLException {
        insert.setString(1, streamId);
        insert.setLong(2, version);
        insert.setString(3, event.eventId().toString());
        insert.setString(4, event.type());
        insert.setString(5, event.json());
        insert.setString(6, "{}");
    }

    @Override
    public long scanAll(long stopAfter) throws SQLException {
        try (PreparedStatement page = reader.prepareStatement(SELECT_COLUMNS + "WHERE id > ? ORDER BY id LIMIT ?")) {
            return RawEventQueries.keysetScan(page, PAGE_SIZE, stopAfter, row -> read(row).id());
        }
    }

    /** One SELECT in id order on the reader connection, in one read transaction. */
    @Override
    public long exportAll(OutputStream out) throws SQLException, IOException {
        reader.setAutoCommit(false);
        try (PreparedStatement select = reader.prepareStatement(SELECT_COLUMNS + "ORDER BY id");
             ResultSet rows = select.executeQuery()) {
            return RawJsonLines.write(rows, out, row -> Instant.ofEpochMilli(row.getLong(8)).toString());
        } finally {
            reader.rollback();
            reader.setAutoCommit(true);
        }
    }

    @Override
    public int loadStream(String streamId) throws SQLException {
        try (PreparedStatement select = reader.prepareStatement(SELECT_COLUMNS + "WHERE stream_id = ? ORDER BY version")) {
            return RawEventQueries.loadStream(select, streamId, row -> read(row).id());
        }
    }

    private static RawEvent read(ResultSet result) throws SQLException {
        return new RawEvent(result.getLong(1), result.getString(2), result.getLong(3), result.getString(4),
                result.getString(5), result.getString(6), result.getString(7), result.getLong(8));
    }

    @Override
    public void close() throws SQLException {
        insert.close();
        writer.close();
        reader.close();
        SqliteBenchDatabase.deleteFiles(file);
    }
}
