package io.annals.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.AppendLimits;
import io.annals.store.AppendResult;
import io.annals.store.AppendValidation;
import io.annals.store.DeleteMode;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventFilter;
import io.annals.store.EventHandler;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.jdbc.JdbcTransaction;
import io.annals.store.jdbc.JdbcTransactionWork;
import io.annals.store.subscription.AppendSignal;
import io.annals.store.subscription.EventCursor;
import io.annals.store.subscription.PollingSubscription;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * The PostgreSQL event store.
 *
 * <pre>{@code
 * try (var store = PostgresEventStore.builder("jdbc:postgresql://localhost/app?user=app").schema("annals").build()) {
 *     store.append(StreamId.of("order-1"), ExpectedVersion.noStream(), List.of(EventData.of("OrderPlaced", "{}")));
 * }
 * }</pre>
 *
 * <p>Building runs the schema migrations. Global order is gap-free: see
 * {@code docs/adr/0003-global-ordering.md}. Concurrent appends are combined into shared
 * transactions, each keeping its own expected-version check and result.
 */
public final class PostgresEventStore implements JdbcEventStore {

    private final SchemaName schema;
    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final AppendLimits limits;
    private final AppendSignal signal = new AppendSignal();
    private final WriteCombiner combiner;
    private final AppendCall appendCall;
    private final BatchWriter batchWriter;
    private final EventReads reads;
    private final StreamDeletes deletes;
    private final NotificationListener listener;
    private final HorizonWatch horizonWatch;
    private final PostgresSnapshotStore snapshots;
    private final int subscriptionBatchSize;
    private final Duration pollInterval;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    private PostgresEventStore(Builder builder, DataSource dataSource, HikariDataSource ownedPool,
                               ConnectionFactory listenerConnections) {
        this.schema = builder.schema;
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.limits = builder.limits;
        this.subscriptionBatchSize = builder.subscriptionBatchSize;
        this.pollInterval = builder.pollInterval;
        this.appendCall = new AppendCall(schema);
        this.batchWriter = new BatchWriter(dataSource, schema, signal);
        this.combiner = new WriteCombiner(batchWriter, builder.writeLanes,
                builder.maxBatchEvents);
        this.reads = new EventReads(dataSource, schema);
        this.deletes = new StreamDeletes(dataSource, schema);
        this.snapshots = new PostgresSnapshotStore(dataSource, schema);
        this.listener = new NotificationListener(listenerConnections, schema, signal, builder.reconnectDelay);
        this.horizonWatch = new HorizonWatch(dataSource, schema, builder.horizonCheckInterval,
                builder.longTransactionThreshold);
    }

    /** A store on its own connection pool for {@code jdbcUrl} (credentials may be in the URL or set on the builder). */
    public static Builder builder(String jdbcUrl) {
        return new Builder(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), null);
    }

    /**
     * A store on the caller's data source, which the store does not close. The LISTEN connection
     * comes from {@link Builder#notificationConnections}, or from the pool's own settings when it is
     * a HikariCP pool, or else it permanently takes one connection from {@code dataSource}.
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
    }

    public SchemaName schema() {
        return schema;
    }

    /** The data source the store uses, for the caller's own queries against the store's schema. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Snapshots kept in the same schema and pool. */
    public PostgresSnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        AppendValidation.validate(streamId, expected, events, limits);
        return combiner.append(new AppendRequest(streamId, expected, List.copyOf(events)));
    }

    /**
     * Runs {@code work} in one transaction: appends made through the transaction and the caller's
     * own statements on {@link JdbcTransaction#connection()} commit together. An exception from
     * {@code work} rolls everything back and is rethrown; an {@link SQLException} of the caller's
     * own statements as {@link UncheckedSqlException}. A failed append leaves the transaction
     * unusable, so let its exception propagate.
     */
    @Override
    public <T> T inTransaction(JdbcTransactionWork<T> work) {
        Objects.requireNonNull(work, "work");
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw SqlFailures.unavailable("could not start a transaction", e);
        }
        try (connection) {
            connection.setAutoCommit(false);
            var transaction = new Transaction(connection);
            T result;
            try {
                result = work.run(transaction);
                connection.commit();
            } catch (RuntimeException | SQLException e) {
                StreamDeletes.rollbackQuietly(connection, e);
                throw e;
            } finally {
                transaction.open = false;
            }
            if (transaction.appended) {
                signal.signal();
            }
            return result;
        } catch (SQLException e) {
            if (SqlFailures.isConnectionFailure(e)) {
                throw SqlFailures.unavailable("transaction failed; it was committed completely or not at all", e);
            }
            throw new UncheckedSqlException(e);
        }
    }

    private final class Transaction implements JdbcTransaction {
        private final Connection connection;
        private boolean appended;
        private boolean open = true;

        Transaction(Connection connection) {
            this.connection = connection;
        }

        @Override
        public AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
            if (!open) {
                throw new IllegalStateException("the transaction is over; append only inside its work");
            }
            AppendValidation.validate(streamId, expected, events, limits);
            var request = new AppendRequest(streamId, expected, List.copyOf(events));
            AppendOutcome outcome;
            try {
                outcome = appendCall.execute(connection, List.of(request)).getFirst();
            } catch (SQLException e) {
                if (SqlFailures.isUniqueViolation(e, "events_stream_event_id_key")) {
                    UUID duplicate = batchWriter.findDuplicate(request);
                    throw new DuplicateEventException(streamId, duplicate != null ? duplicate : events.getFirst().eventId());
                }
                throw SqlFailures.unavailable("append to " + streamId + " in a transaction failed", e);
            }
            appended |= outcome.wroteEvents();
            return outcome.resultOrThrow(streamId, expected);
        }

        @Override
        public Connection connection() {
            return connection;
        }
    }

    @Override
    public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, ReadDirection direction, int limit) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(direction, "direction");
        try {
            return reads.readStream(streamId, fromVersion, direction, limit);
        } catch (SQLException e) {
            throw SqlFailures.unavailable("read of stream " + streamId + " failed", e);
        }
    }

    @Override
    public StreamState streamState(StreamId streamId) {
        Objects.requireNonNull(streamId, "streamId");
        try {
            return reads.streamState(streamId);
        } catch (SQLException e) {
            throw SqlFailures.unavailable("state of stream " + streamId + " could not be read", e);
        }
    }

    @Override
    public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(filter, "filter");
        try {
            return reads.readAll(after, limit, filter);
        } catch (SQLException e) {
            throw SqlFailures.unavailable("read of all events failed", e);
        }
    }

    @Override
    public void delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(mode, "mode");
        try {
            deletes.delete(streamId, expected, mode);
        } catch (SQLException e) {
            throw SqlFailures.unavailable("delete of stream " + streamId + " failed", e);
        }
    }

    @Override
    public Subscription subscribeToAll(Position after, EventFilter filter, EventHandler handler) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(handler, "handler");
        String name = "annals-pg-all-subscription";
        return track(PollingSubscription.start(name, new RetryingCursor(EventCursor.overAll(this, after, filter), name),
                after, signal, handler, subscriptionBatchSize, pollInterval));
    }

    @Override
    public Subscription subscribeToStream(StreamId streamId, long afterVersion, EventHandler handler) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(handler, "handler");
        String name = "annals-pg-stream-subscription-" + streamId;
        return track(PollingSubscription.start(name,
                new RetryingCursor(EventCursor.overStream(this, streamId, afterVersion), name), Position.START, signal,
                handler, subscriptionBatchSize, pollInterval));
    }

    private Subscription track(Subscription subscription) {
        subscriptions.removeIf(s -> !s.isRunning());
        subscriptions.add(subscription);
        return subscription;
    }

    /** How far readers of all events are held back by open transactions right now. */
    public ReaderLag readerLag() {
        try {
            return horizonWatch.measure();
        } catch (SQLException e) {
            throw SqlFailures.unavailable("reader lag could not be measured", e);
        }
    }

    /** Whether the LISTEN connection is up; while it is down subscriptions fall back to polling. */
    public boolean isListening() {
        return listener.isConnected();
    }

    /**
     * Imports an NDJSON export (one recorded event per line) with COPY, in one transaction, keeping
     * the file's order as the global order. Streams must continue where the store's streams end.
     *
     * @return the number of events imported
     */
    public long importEvents(Reader ndjson) throws IOException {
        long count = new NdjsonImport(dataSource, schema).run(ndjson);
        signal.signal();
        return count;
    }

    /** Writes every event, in global order, as NDJSON; {@link #importEvents} reads it back. */
    public long exportEvents(Writer out) throws IOException {
        return new NdjsonExport(dataSource, schema).run(out);
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        listener.close();
        horizonWatch.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    private void start() {
        listener.start();
        horizonWatch.start();
    }

    public static final class Builder {
        private final String jdbcUrl;
        private final DataSource dataSource;
        private SchemaName schema = SchemaName.of("annals");
        private String user;
        private String password;
        private int maxPoolSize = 10;
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private AppendLimits limits = AppendLimits.DEFAULT;
        private int writeLanes = 2;
        private int maxBatchEvents = 1_000;
        private int subscriptionBatchSize = 500;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration reconnectDelay = Duration.ofMillis(500);
        private Duration horizonCheckInterval = Duration.ofSeconds(10);
        private Duration longTransactionThreshold = Duration.ofSeconds(10);
        private ConnectionFactory notificationConnections;
        private boolean migrate = true;

        private Builder(String jdbcUrl, DataSource dataSource) {
            this.jdbcUrl = jdbcUrl;
            this.dataSource = dataSource;
        }

        /** The schema that holds the store's tables (default {@code annals}); created when missing. */
        public Builder schema(String name) {
            this.schema = SchemaName.of(name);
            return this;
        }

        public Builder credentials(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /** Size of the pool the store creates for a JDBC URL (default 10). */
        public Builder maxPoolSize(int size) {
            this.maxPoolSize = requirePositive(size, "pool size");
            return this;
        }

        /** How long a call waits for a free connection before it fails as unavailable (default 5 s). */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder limits(AppendLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Number of parallel write-combining lanes (default 2); streams are spread over them by hash. */
        public Builder writeLanes(int lanes) {
            this.writeLanes = requirePositive(lanes, "write lanes");
            return this;
        }

        /** Most events written by one combined call (default 1,000); a larger single append goes alone. */
        public Builder maxBatchEvents(int events) {
            this.maxBatchEvents = requirePositive(events, "batch events");
            return this;
        }

        public Builder subscriptionBatchSize(int size) {
            this.subscriptionBatchSize = requirePositive(size, "subscription batch size");
            return this;
        }

        /** How often subscriptions poll when no notification arrives (default 1 s). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Delay between attempts to re-open the LISTEN connection (default 500 ms). */
        public Builder reconnectDelay(Duration delay) {
            this.reconnectDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /**
         * How often to look for a transaction that holds readers back (default 10 s; zero turns the
         * watch off) and how old it must be to be logged as a warning (default 10 s).
         */
        public Builder horizonWatch(Duration interval, Duration threshold) {
            this.horizonCheckInterval = Objects.requireNonNull(interval, "interval");
            this.longTransactionThreshold = Objects.requireNonNull(threshold, "threshold");
            return this;
        }

        /** Where the dedicated LISTEN connection comes from, for a caller-supplied data source. */
        public Builder notificationConnections(ConnectionFactory factory) {
            this.notificationConnections = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Whether to run the schema migrations on build (default true). */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        public PostgresEventStore build() {
            HikariDataSource pool = dataSource == null ? createPool() : null;
            DataSource source = pool != null ? pool : dataSource;
            try {
                if (migrate && jdbcUrl != null) {
                    // on its own connections: Flyway holds more than one, and the pool may be tiny
                    SchemaMigrations.migrate(jdbcUrl, user, password, schema);
                } else if (migrate) {
                    SchemaMigrations.migrate(source, schema);
                }
                var store = new PostgresEventStore(this, source, pool, listenerConnections(source));
                store.start();
                return store;
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw e;
            }
        }

        private HikariDataSource createPool() {
            var config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl);
            if (user != null) {
                config.setUsername(user);
                config.setPassword(password);
            }
            config.setMaximumPoolSize(maxPoolSize);
            config.setConnectionTimeout(Math.max(250, connectionTimeout.toMillis()));
            config.setPoolName("annals-pg-" + schema);
            config.addDataSourceProperty("ApplicationName", "annals-pool-" + schema);
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw new io.annals.store.EventStoreUnavailableException(
                        "could not open a connection pool to " + redacted(jdbcUrl) + ": " + e.getMessage(), e);
            }
        }

        private ConnectionFactory listenerConnections(DataSource source) {
            if (notificationConnections != null) {
                return notificationConnections;
            }
            if (jdbcUrl != null) {
                Properties properties = connectionProperties(user, password);
                properties.setProperty("ApplicationName", "annals-listener-" + schema);
                return () -> DriverManager.getConnection(jdbcUrl, properties);
            }
            try {
                if (source.isWrapperFor(HikariDataSource.class)) {
                    HikariDataSource hikari = source.unwrap(HikariDataSource.class);
                    Properties properties = new Properties();
                    properties.putAll(hikari.getDataSourceProperties());
                    properties.putAll(connectionProperties(hikari.getUsername(), hikari.getPassword()));
                    properties.setProperty("ApplicationName", "annals-listener-" + schema);
                    String url = hikari.getJdbcUrl();
                    if (url != null) {
                        return () -> DriverManager.getConnection(url, properties);
                    }
                }
            } catch (SQLException e) {
                throw new io.annals.store.EventStoreUnavailableException("could not inspect the data source", e);
            }
            return source::getConnection;
        }

        private static Properties connectionProperties(String user, String password) {
            var properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            return properties;
        }

        private static String redacted(String url) {
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query) + "?...";
        }

        private static int requirePositive(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
