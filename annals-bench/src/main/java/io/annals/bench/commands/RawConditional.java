package io.annals.bench.commands;

import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.workload.BenchEvent;
import io.annals.bench.workload.BenchEvents;
import io.annals.store.EventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The ceiling of {@code conditional-append-64-clients}: the same work with Annals taken out, in
 * plain JDBC on the same database. Each append, in a transaction of its own: check that no event
 * with the client's tag was written after the client's previous one, insert the event, insert
 * its tag, commit. On PostgreSQL an advisory lock on the tag comes first (without it the check
 * is wrong, ADR 0008), on the store's own connection pool; on SQLite one writer connection
 * serialises the appends, in a file beside the store's with the store's synchronous mode.
 */
final class RawConditional {

    /** The baseline key of this ceiling. */
    static final String NAME = "raw-conditional";

    private RawConditional() {
    }

    static Workload workload(int clients) {
        return (store, warmup, measure) -> Figure.of(switch (store) {
            case PostgresEventStore postgres -> postgres(postgres, clients, warmup, measure);
            case SqliteEventStore sqlite -> sqlite(sqlite, clients, warmup, measure);
            default -> throw new IllegalStateException("no plain JDBC ceiling for " + store.getClass().getSimpleName());
        });
    }

    private static double postgres(PostgresEventStore store, int clients, java.time.Duration warmup,
                                   java.time.Duration measure) throws Exception {
        DataSource pool = store.dataSource();
        // the schema name is validated by the store (SchemaName): safe to put in the SQL
        String events = store.schema().value() + ".raw_conditional_events";
        String tags = store.schema().value() + ".raw_conditional_tags";
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + events + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " stream_id text NOT NULL, version bigint NOT NULL, event_id uuid NOT NULL, type text NOT NULL,"
                    + " data jsonb NOT NULL, UNIQUE (stream_id, version))");
            statement.execute("CREATE TABLE " + tags + " (tag text NOT NULL, position bigint NOT NULL, PRIMARY KEY (tag, position))");
        }
        var last = new long[clients];
        return ThroughputRunner.eventsPerSecond(clients, warmup, measure, (client, iteration) -> {
            String tag = "client:" + client;
            BenchEvent event = BenchEvents.event(iteration * clients + client);
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    last[client] = committed(connection, () -> {
                        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                            lock.setString(1, tag);
                            lock.execute();
                        }
                        check(connection, "SELECT max(position) FROM " + tags + " WHERE tag = ? AND position > ?", tag, last[client]);
                        long position;
                        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + events
                                + " (stream_id, version, event_id, type, data) VALUES (?, ?, ?, ?, ?::jsonb) RETURNING id")) {
                            bindEvent(insert, client, iteration, event);
                            insert.setObject(3, event.eventId());
                            try (ResultSet row = insert.executeQuery()) {
                                row.next();
                                position = row.getLong(1);
                            }
                        }
                        insertTag(connection, tags, tag, position);
                        return position;
                    });
                } finally {
                    connection.setAutoCommit(true);
                }
            }
            return 1;
        });
    }

    private static double sqlite(SqliteEventStore store, int clients, java.time.Duration warmup,
                                 java.time.Duration measure) throws Exception {
        Path file = store.file().resolveSibling(store.file().getFileName() + "-raw-conditional.db");
        var writeLock = new ReentrantLock();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=" + store.synchronous().name());
                statement.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, version INTEGER NOT NULL,"
                        + " event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (stream_id, version))");
                statement.execute("CREATE TABLE tags (tag TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (tag, position))");
            }
            connection.setAutoCommit(false);
            var last = new long[clients];
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO events (stream_id, version, event_id, type, data) VALUES (?, ?, ?, ?, ?)")) {
                return ThroughputRunner.eventsPerSecond(clients, warmup, measure, (client, iteration) -> {
                    String tag = "client:" + client;
                    BenchEvent event = BenchEvents.event(iteration * clients + client);
                    writeLock.lock();
                    try {
                        last[client] = committed(connection, () -> {
                            check(connection, "SELECT max(position) FROM tags WHERE tag = ? AND position > ?", tag, last[client]);
                            bindEvent(insert, client, iteration, event);
                            insert.setString(3, event.eventId().toString());
                            insert.executeUpdate();
                            long position;
                            try (Statement statement = connection.createStatement();
                                 ResultSet row = statement.executeQuery("SELECT last_insert_rowid()")) {
                                row.next();
                                position = row.getLong(1);
                            }
                            insertTag(connection, "tags", tag, position);
                            return position;
                        });
                    } finally {
                        writeLock.unlock();
                    }
                    return 1;
                });
            }
        }
    }

    /** The work of one append: its statements; answers the event's position. */
    @FunctionalInterface
    interface AppendWork {
        long run() throws SQLException;
    }

    /** Runs {@code work} and commits, or rolls back and rethrows. */
    static long committed(Connection connection, AppendWork work) throws SQLException {
        try {
            long position = work.run();
            connection.commit();
            return position;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private static void check(Connection connection, String sql, String tag, long after) throws SQLException {
        try (PreparedStatement check = connection.prepareStatement(sql)) {
            check.setString(1, tag);
            check.setLong(2, after);
            try (ResultSet row = check.executeQuery()) {
                row.next();
                row.getLong(1);
                if (!row.wasNull()) {
                    throw new IllegalStateException("a client's own tag was written by someone else");
                }
            }
        }
    }

    private static void bindEvent(PreparedStatement insert, int client, long iteration, BenchEvent event) throws SQLException {
        insert.setString(1, "raw-client-" + client + "-" + iteration / Workloads.STREAM_LENGTH);
        insert.setLong(2, iteration % Workloads.STREAM_LENGTH);
        insert.setString(4, event.type());
        insert.setString(5, event.json());
    }

    static void insertTag(Connection connection, String table, String tag, long position) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (tag, position) VALUES (?, ?)")) {
            insert.setString(1, tag);
            insert.setLong(2, position);
            insert.executeUpdate();
        }
    }
}
