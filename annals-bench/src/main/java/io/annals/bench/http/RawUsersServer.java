package io.annals.bench.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.annals.bench.measure.ThroughputRunner;
import io.annals.node.ApiProblem;
import io.annals.node.JsonResponses;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.node.RequestBodies;
import io.annals.node.Role;
import io.annals.server.AnnalsNode;
import io.annals.server.NodeConfig;
import io.annals.server.store.EventStores;
import io.annals.server.store.StoreSettings;
import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.sqlite.SqliteEventStore;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The ceiling of {@link HttpUsersCase}: the user API's registration and email change with
 * Annals taken out. One plain {@link NodeModule} on a node with the same HTTP stack (the store
 * API's node over an in-memory store that nothing uses) serves {@code POST /api/users} and
 * {@code PUT /api/users/{id}/email}, reading bodies with the node's own {@link RequestBodies} as
 * the real routes do, and does the work in plain JDBC on the same kind of database, one
 * transaction per request:
 * <ul>
 * <li>registration: insert the {@code Idempotency-Key} (a repeated key answers the user it
 *     registered), insert the user into the {@code users} table (a taken address answers 409),
 *     append the {@code UserRegistered} event as version 0 of the user's stream, commit, 201;</li>
 * <li>email change: select the user {@code FOR UPDATE} (404 without one); the same address
 *     answers 200 with no event, another updates {@code users} (a taken address answers 409) and
 *     appends an {@code EmailChanged} event at the stream's next version; commit, 200.</li>
 * </ul>
 * That is the least a service keeping both a state table and an event log can do for these
 * requests: no command bus, no decision over past events, no projection, no framework. On
 * PostgreSQL it runs on the Annals store's own connection pool; on SQLite one writer connection
 * serialises the transactions, in a file beside the store's with the store's synchronous mode.
 */
public final class RawUsersServer {

    private static final String USERS = "/api/users";
    private static final String TABLES = """
            CREATE TABLE %1$sevents (id %2$s, stream_id TEXT NOT NULL, version BIGINT NOT NULL,
                event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (stream_id, version));
            CREATE TABLE %1$susers (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                status TEXT NOT NULL, registered_at TEXT NOT NULL, last_updated TEXT NOT NULL);
            CREATE TABLE %1$sidempotency_keys (idempotency_key TEXT PRIMARY KEY, user_id TEXT NOT NULL)""";

    /** What a client sends to register. */
    record Registration(String email, String name) {
    }

    /** What a client sends to change an address. */
    record EmailChange(String email) {
    }

    private RawUsersServer() {
    }

    /** Drives this server on the (fresh) store of {@code store} as {@link HttpUsersCase} drives the node. */
    public static ThroughputRunner.Result measure(StoreSettings store, int clients, Duration warmup, Duration measure)
            throws Exception {
        return HttpUsersCase.measure(start(store), clients, warmup, measure);
    }

    /** Starts the server with its tables in the (fresh) store of {@code store}; stopping the node closes them. */
    static AnnalsNode start(StoreSettings store) throws Exception {
        Database database = Database.open(store);
        try {
            NodeModule users = new NodeModule() {
                @Override
                public String name() {
                    return "raw-users";
                }

                @Override
                public void install(NodeContext node) {
                    var routes = new Routes(database, node.json(), node.bodies());
                    node.routes().post(USERS, Role.USER, routes::register);
                    node.routes().put(USERS + "/{id}/email", Role.USER, routes::changeEmail);
                    node.onStop(database::close);
                }
            };
            return AnnalsNode.start(NodeConfig.ephemeral(new StoreSettings.InMemory()), new InMemoryEventStore(), List.of(users));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private record Routes(Database database, JsonResponses json, RequestBodies bodies) {

        void register(Context ctx) throws SQLException {
            Registration body = bodies.readJson(ctx, Registration.class);
            if (body == null || body.email() == null || body.name() == null) {
                throw ApiProblem.badRequest("the body must be {\"email\": \"...\", \"name\": \"...\"}");
            }
            String key = ctx.header("Idempotency-Key");
            String userId = database.transaction(connection -> {
                String id = UUID.randomUUID().toString();
                if (key != null) {
                    String registered = recordKey(connection, key, id);
                    if (registered != null) {
                        return registered;
                    }
                }
                String now = Instant.now().toString();
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + database.table("users")
                        + " (id, email, name, status, registered_at, last_updated) VALUES (?, ?, ?, 'active', ?, ?)")) {
                    insert.setString(1, id);
                    insert.setString(2, body.email());
                    insert.setString(3, body.name());
                    insert.setString(4, now);
                    insert.setString(5, now);
                    insert.executeUpdate();
                } catch (SQLException e) {
                    throw taken(e);
                }
                appendEvent(connection, id, "UserRegistered", Map.of("userId", id, "email", body.email(), "name", body.name()));
                return id;
            });
            ctx.header("Location", USERS + "/" + userId);
            json.send(ctx, 201, Map.of("userId", userId));
        }

        void changeEmail(Context ctx) throws SQLException {
            String userId = ctx.pathParam("id");
            EmailChange body = bodies.readJson(ctx, EmailChange.class);
            if (body == null || body.email() == null) {
                throw ApiProblem.badRequest("the body must be {\"email\": \"...\"}");
            }
            database.transaction(connection -> {
                String current;
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT email FROM " + database.table("users") + " WHERE id = ?" + database.forUpdate())) {
                    select.setString(1, userId);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            throw ApiProblem.notFound("no user " + userId);
                        }
                        current = row.getString(1);
                    }
                }
                if (current.equals(body.email())) {
                    return userId;
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE " + database.table("users") + " SET email = ?, last_updated = ? WHERE id = ?")) {
                    update.setString(1, body.email());
                    update.setString(2, Instant.now().toString());
                    update.setString(3, userId);
                    update.executeUpdate();
                } catch (SQLException e) {
                    throw taken(e);
                }
                appendEvent(connection, userId, "EmailChanged", Map.of("userId", userId, "email", body.email()));
                return userId;
            });
            json.send(ctx, 200, Map.of("userId", userId, "email", body.email()));
        }

        /** Records {@code key} for {@code userId}; answers the user it registered before, or null when it is new. */
        private String recordKey(Connection connection, String key, String userId) throws SQLException {
            String keys = database.table("idempotency_keys");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + keys + " (idempotency_key, user_id) VALUES (?, ?) ON CONFLICT (idempotency_key) DO NOTHING")) {
                insert.setString(1, key);
                insert.setString(2, userId);
                if (insert.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT user_id FROM " + keys + " WHERE idempotency_key = ?")) {
                select.setString(1, key);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getString(1);
                }
            }
        }

        /** Appends the event at the next version of the user's stream (0 for a new one). */
        private void appendEvent(Connection connection, String userId, String type, Map<String, String> data) throws SQLException {
            String events = database.table("events");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + events
                    + " (stream_id, version, event_id, type, data) SELECT ?, COALESCE(max(version) + 1, 0), ?, ?, ? FROM "
                    + events + " WHERE stream_id = ?")) {
                String stream = "user-" + userId;
                insert.setString(1, stream);
                insert.setString(2, UUID.randomUUID().toString());
                insert.setString(3, type);
                insert.setString(4, json.mapper().writeValueAsString(data));
                insert.setString(5, stream);
                insert.executeUpdate();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an event's data did not render as JSON", e);
            }
        }

        /** A unique violation on the address as a 409; anything else as it came. */
        private static RuntimeException taken(SQLException e) throws SQLException {
            boolean unique = "23505".equals(e.getSQLState()) || e instanceof SQLiteException sqlite
                    && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE;
            if (unique) {
                return ApiProblem.conflict("the address is taken");
            }
            throw e;
        }
    }

    /** One request's statements, on the transaction's connection. */
    @FunctionalInterface
    private interface Work {
        String run(Connection connection) throws SQLException;
    }

    /** Where the tables live and how a request gets its transaction. */
    private sealed interface Database extends AutoCloseable {

        /** The tables in a fresh schema of the store's PostgreSQL, or in a file beside the store's SQLite file. */
        static Database open(StoreSettings settings) throws Exception {
            if (settings instanceof StoreSettings.Sqlite sqlite) {
                Files.createDirectories(sqlite.dataDirectory());
            }
            EventStore store = EventStores.open(settings);
            try {
                return switch (store) {
                    case PostgresEventStore postgres -> Postgres.open(postgres);
                    case SqliteEventStore file -> Sqlite.open(file);
                    default -> throw new IllegalArgumentException("no plain JDBC ceiling for " + settings.describe());
                };
            } catch (Exception e) {
                store.close();
                throw e;
            }
        }

        String table(String name);

        /** What makes a select lock the rows it reads until the transaction ends. */
        String forUpdate();

        String transaction(Work work) throws SQLException;

        @Override
        void close() throws SQLException;

        /** Runs {@code work} and commits, or rolls back and rethrows. */
        static String committed(Connection connection, Work work) throws SQLException {
            try {
                String answer = work.run(connection);
                connection.commit();
                return answer;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }

        static void createTables(Connection connection, String prefix, String idColumn) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                for (String create : TABLES.formatted(prefix, idColumn).split(";")) {
                    statement.execute(create);
                }
            }
        }
    }

    /** On the store's own pool, the tables in the store's (fresh) schema. */
    private record Postgres(PostgresEventStore store, DataSource pool, String prefix) implements Database {

        static Postgres open(PostgresEventStore store) throws SQLException {
            // the schema name is validated by the store (SchemaName): safe to put in the SQL
            var postgres = new Postgres(store, store.dataSource(), store.schema().value() + ".raw_users_");
            try (Connection connection = postgres.pool.getConnection()) {
                Database.createTables(connection, postgres.prefix, "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
            }
            return postgres;
        }

        @Override
        public String table(String name) {
            return prefix + name;
        }

        @Override
        public String forUpdate() {
            return " FOR UPDATE";
        }

        @Override
        public String transaction(Work work) throws SQLException {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    return Database.committed(connection, work);
                } finally {
                    connection.setAutoCommit(true);
                }
            }
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** One writer connection, its transactions one at a time: SQLite has one writer anyway. */
    private record Sqlite(SqliteEventStore store, Connection writer, ReentrantLock lock) implements Database {

        static Sqlite open(SqliteEventStore store) throws SQLException {
            Path file = store.file().resolveSibling(store.file().getFileName() + "-raw-users.db");
            Connection writer = DriverManager.getConnection("jdbc:sqlite:" + file);
            try {
                try (Statement statement = writer.createStatement()) {
                    statement.execute("PRAGMA journal_mode=WAL");
                    statement.execute("PRAGMA synchronous=" + store.synchronous().name());
                }
                Database.createTables(writer, "", "INTEGER PRIMARY KEY");
                writer.setAutoCommit(false);
                return new Sqlite(store, writer, new ReentrantLock());
            } catch (SQLException e) {
                writer.close();
                throw e;
            }
        }

        @Override
        public String table(String name) {
            return name;
        }

        @Override
        public String forUpdate() {
            // the writer's lock already keeps every other transaction out
            return "";
        }

        @Override
        public String transaction(Work work) throws SQLException {
            lock.lock();
            try {
                return Database.committed(writer, work);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                writer.close();
            } finally {
                store.close();
            }
        }
    }
}
