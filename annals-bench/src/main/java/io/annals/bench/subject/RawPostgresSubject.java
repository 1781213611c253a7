package io.annals.bench.subject;

import com.zaxxer.hikari.HikariDataSource;
import io.annals.bench.db.PostgresBenchDatabase;
import io.annals.bench.workload.BenchEvent;
import io.annals.bench.workload.StreamChunk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The plain JDBC way of storing events in PostgreSQL, on a table shaped like a typical event table:
 * a bigserial key, unique (stream_id, version) for optimistic concurrency, and jsonb data. Each
 * operation uses the fastest plain technique: an auto-committed INSERT for single events (one
 * round trip per commit), a rewritten batch insert plus commit for batches, COPY for imports and
 * a keyset-paginated SELECT for reads.
 */
public final class RawPostgresSubject implements BenchSubject, BenchSubject.SingleAppender,
        BenchSubject.BatchAppender, BenchSubject.BulkImporter, BenchSubject.AllEventsScanner,
        BenchSubject.StreamLoader, BenchSubject.Exporter {

    public static final String NAME = "raw-jdbc";
    static final int PAGE_SIZE = 1000;
    private static final int EXPORT_FETCH_SIZE = 5000;
    private static final int COPY_CHUNK = 1 << 16;

    private static final String INSERT = "INSERT INTO raw_events (stream_id, version, event_id, type, data, metadata)"
            + " VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb)";
    private static final String SELECT_COLUMNS = "SELECT id, stream_id, version, event_id, type, data, metadata, recorded_at"
            + " FROM raw_events ";

    /** What a reader gets per row, materialised like every other comparator's result. */
    record RawEvent(long id, String streamId, long version, UUID eventId, String type, String data,
                    String metadata, OffsetDateTime recordedAt) {
    }

    private final PostgresBenchDatabase database;
    private final String schema;
    private final HikariDataSource pool;

    private RawPostgresSubject(PostgresBenchDatabase database, String schema, int connections) {
        this.database = database;
        this.schema = schema;
        this.pool = database.pool(schema, connections, true, Map.of("reWriteBatchedInserts", "true"));
    }

    public static SubjectFactory factory(PostgresBenchDatabase database) {
        return new SubjectFactory() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public BenchSubject open(String caseName, int connections) throws SQLException {
                String schema = database.createSchema(caseName, NAME);
                var subject = new RawPostgresSubject(database, schema, connections);
                subject.createTable();
                return subject;
            }
        };
    }

    private void createTable() throws SQLException {
        try (Connection connection = pool.getConnection(); var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE raw_events (
                      id bigserial PRIMARY KEY,
                      stream_id text NOT NULL,
                      version bigint NOT NULL,
                      event_id uuid NOT NULL,
                      type text NOT NULL,
                      data jsonb NOT NULL,
                      metadata jsonb NOT NULL,
                      recorded_at timestamptz NOT NULL DEFAULT now(),
                      UNIQUE (stream_id, version)
                    )""");
        }
    }

    @Override
    public void appendOne(String streamId, long version, BenchEvent event) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            bind(insert, streamId, version, event);
            insert.executeUpdate();
        }
    }

    @Override
    public void appendBatch(StreamChunk chunk) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                long version = chunk.firstVersion();
                for (BenchEvent event : chunk.events()) {
                    bind(insert, chunk.streamId(), version++, event);
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static void bind(PreparedStatement insert, String streamId, long version, BenchEvent event)
            throws SQLException {
        insert.setString(1, streamId);
        insert.setLong(2, version);
        insert.setObject(3, event.eventId());
        insert.setString(4, event.type());
        insert.setString(5, event.json());
        insert.setString(6, "{}");
    }

    @Override
    public PreparedImport prepareImport(List<StreamChunk> chunks) {
        var text = new ByteArrayOutputStream(1 << 20);
        for (StreamChunk chunk : chunks) {
            long version = chunk.firstVersion();
            for (BenchEvent event : chunk.events()) {
                String row = copyText(chunk.streamId()) + '\t' + version++ + '\t' + event.eventId() + '\t'
                        + copyText(event.type()) + '\t' + copyText(event.json()) + "\t{}\n";
                text.writeBytes(row.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] rows = text.toByteArray();
        return () -> copy(rows);
    }

    private void copy(byte[] rows) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY raw_events (stream_id, version, event_id, type, data, metadata) FROM STDIN");
            try {
                for (int offset = 0; offset < rows.length; offset += COPY_CHUNK) {
                    copy.writeToCopy(rows, offset, Math.min(COPY_CHUNK, rows.length - offset));
                }
                copy.endCopy();
                connection.commit();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            }
        }
    }

    /** Escapes a value for COPY's text format. */
    static String copyText(String value) {
        if (value.indexOf('\\') < 0 && value.indexOf('\t') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    @Override
    public long scanAll(long stopAfter) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement page = connection.prepareStatement(SELECT_COLUMNS + "WHERE id > ? ORDER BY id LIMIT ?")) {
            return RawEventQueries.keysetScan(page, PAGE_SIZE, stopAfter, row -> read(row).id());
        }
    }

    /** One SELECT in id order through a server-side cursor (a read-only transaction with a fetch size). */
    @Override
    public long exportAll(OutputStream out) throws SQLException, IOException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement select = connection.prepareStatement(SELECT_COLUMNS + "ORDER BY id")) {
                select.setFetchSize(EXPORT_FETCH_SIZE);
                try (ResultSet rows = select.executeQuery()) {
                    return RawJsonLines.write(rows, out, row -> row.getObject(8, OffsetDateTime.class).toInstant().toString());
                }
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
            }
        }
    }

    @Override
    public int loadStream(String streamId) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT_COLUMNS + "WHERE stream_id = ? ORDER BY version")) {
            return RawEventQueries.loadStream(select, streamId, row -> read(row).id());
        }
    }

    private static RawEvent read(ResultSet result) throws SQLException {
        return new RawEvent(result.getLong(1), result.getString(2), result.getLong(3), result.getObject(4, UUID.class),
                result.getString(5), result.getString(6), result.getString(7), result.getObject(8, OffsetDateTime.class));
    }

    @Override
    public void close() {
        pool.close();
        database.dropSchema(schema);
    }
}
