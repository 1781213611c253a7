package io.annals.bench.commands;

import io.annals.bench.measure.ThroughputRunner;
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
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The ceiling of {@code register-user-64-clients}: a registration with Annals taken out, in plain
 * JDBC on the same database. Per registration: read the events that carry the user's tag or the
 * address's tag (for a new user there are none), then in one transaction record the command's id,
 * check that no event with either tag was written after that read, insert the registration event
 * as version 0 of the user's stream, insert its two tags, and commit. On PostgreSQL advisory
 * locks on both tags come first, in a fixed order (ADR 0008), on the store's own pool; on SQLite
 * one writer connection serialises the transactions while each client reads on a connection of
 * its own, in a file beside the store's with the store's synchronous mode.
 */
final class RawRegistration {

    /** The baseline key of this ceiling. */
    static final String NAME = "raw-registration";

    private static final String TABLES = """
            CREATE TABLE %1$sevents (id %2$s, stream_id TEXT NOT NULL, version BIGINT NOT NULL,
                event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (stream_id, version));
            CREATE TABLE %1$stags (tag TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (tag, position));
            CREATE TABLE %1$scommands (command_id TEXT PRIMARY KEY, position BIGINT NOT NULL)""";

    private RawRegistration() {
    }

    static Workload workload(int clients) {
        return (store, warmup, measure) -> Figure.of(switch (store) {
            case PostgresEventStore postgres -> postgres(postgres, clients, warmup, measure);
            case SqliteEventStore sqlite -> sqlite(sqlite, clients, warmup, measure);
            default -> throw new IllegalStateException("no plain JDBC ceiling for " + store.getClass().getSimpleName());
        });
    }

    private static double postgres(PostgresEventStore store, int clients, Duration warmup, Duration measure) throws Exception {
        DataSource pool = store.dataSource();
        // the schema name is validated by the store (SchemaName): safe to put in the SQL
        String prefix = store.schema().value() + ".raw_registration_";
        try (Connection connection = pool.getConnection()) {
            createTables(connection, prefix, "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
        }
        return ThroughputRunner.eventsPerSecond(clients, warmup, measure, (client, iteration) -> {
            Registration registration = new Registration(client, iteration);
            long read;
            try (Connection connection = pool.getConnection()) {
                read = read(connection, prefix, registration);
                connection.setAutoCommit(false);
                try {
                    RawConditional.committed(connection, () -> {
                        try (PreparedStatement lock = connection.prepareStatement(
                                "SELECT pg_advisory_xact_lock(hashtextextended(?, 0)), pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                            lock.setString(1, registration.emailTag());
                            lock.setString(2, registration.userTag());
                            lock.execute();
                        }
                        return write(connection, prefix, registration, read, " RETURNING id");
                    });
                } finally {
                    connection.setAutoCommit(true);
                }
            }
            return 1;
        });
    }

    private static double sqlite(SqliteEventStore store, int clients, Duration warmup, Duration measure) throws Exception {
        Path file = store.file().resolveSibling(store.file().getFileName() + "-raw-registration.db");
        String url = "jdbc:sqlite:" + file;
        var writeLock = new ReentrantLock();
        var readers = new Connection[clients];
        try (Connection writer = DriverManager.getConnection(url)) {
            try (Statement statement = writer.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=" + store.synchronous().name());
            }
            createTables(writer, "", "INTEGER PRIMARY KEY");
            writer.setAutoCommit(false);
            for (int client = 0; client < clients; client++) {
                readers[client] = DriverManager.getConnection(url);
            }
            return ThroughputRunner.eventsPerSecond(clients, warmup, measure, (client, iteration) -> {
                Registration registration = new Registration(client, iteration);
                long read = read(readers[client], "", registration);
                writeLock.lock();
                try {
                    RawConditional.committed(writer, () -> write(writer, "", registration, read, " RETURNING id"));
                } finally {
                    writeLock.unlock();
                }
                return 1;
            });
        } finally {
            for (Connection reader : readers) {
                if (reader != null) {
                    reader.close();
                }
            }
        }
    }

    /** One client's registration of one new user. */
    private record Registration(String userId, String email) {
        Registration(int client, long iteration) {
            this("c" + client + "-" + iteration, "c" + client + "-" + iteration + "@bench.example");
        }

        String userTag() {
            return "user:" + userId;
        }

        String emailTag() {
            return "email:" + email;
        }

        String data() {
            return "{\"userId\":\"" + userId + "\",\"email\":\"" + email + "\",\"name\":\"User " + userId + "\"}";
        }
    }

    private static void createTables(Connection connection, String prefix, String idColumn) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String create : TABLES.formatted(prefix, idColumn).split(";")) {
                statement.execute(create);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** The decision's read: the events with either tag, in order; answers the last position read (0: none). */
    private static long read(Connection connection, String prefix, Registration registration) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement("SELECT e.id, e.type, e.data FROM " + prefix + "tags t"
                + " JOIN " + prefix + "events e ON e.id = t.position WHERE t.tag IN (?, ?) ORDER BY t.position")) {
            read.setString(1, registration.emailTag());
            read.setString(2, registration.userTag());
            long last = 0;
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    last = rows.getLong(1);
                    rows.getString(2);
                    rows.getString(3);
                }
            }
            if (last != 0) {
                throw new IllegalStateException("a new user's tags were already written: " + registration.userId());
            }
            return last;
        }
    }

    /** The transaction's statements after any locks: command record, check, event, tags; answers the event's position. */
    private static long write(Connection connection, String prefix, Registration registration, long read, String returning)
            throws SQLException {
        try (PreparedStatement check = connection.prepareStatement(
                "SELECT max(position) FROM " + prefix + "tags WHERE tag IN (?, ?) AND position > ?")) {
            check.setString(1, registration.emailTag());
            check.setString(2, registration.userTag());
            check.setLong(3, read);
            try (ResultSet row = check.executeQuery()) {
                row.next();
                row.getLong(1);
                if (!row.wasNull()) {
                    throw new IllegalStateException("the address or the user was taken meanwhile");
                }
            }
        }
        long position;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + prefix + "events"
                + " (stream_id, version, event_id, type, data) VALUES (?, 0, ?, 'UserRegistered', ?)" + returning)) {
            insert.setString(1, "user-" + registration.userId());
            insert.setString(2, UUID.randomUUID().toString());
            insert.setString(3, registration.data());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                position = row.getLong(1);
            }
        }
        RawConditional.insertTag(connection, prefix + "tags", registration.emailTag(), position);
        RawConditional.insertTag(connection, prefix + "tags", registration.userTag(), position);
        try (PreparedStatement command = connection.prepareStatement(
                "INSERT INTO " + prefix + "commands (command_id, position) VALUES (?, ?)")) {
            command.setString(1, UUID.randomUUID().toString());
            command.setLong(2, position);
            command.executeUpdate();
        }
        return position;
    }
}
