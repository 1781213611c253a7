package io.annals.store.postgres;

import io.annals.store.StreamWrite;
import io.annals.store.QueryReader;
import io.annals.store.QuerySubscriptions;
import io.annals.store.QueryRead;
import io.annals.store.EventQuery;
import io.annals.store.CommandLog;
import io.annals.store.CommandRecord;
import io.annals.store.CommandRecording;
import io.annals.store.ConditionalAppender;
import io.annals.store.AppendResults;
import io.annals.store.Append;
import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.AppendLimits;
import io.annals.store.AppendResult;
import io.annals.store.AppendValidation;
import io.annals.store.DeleteMode;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventBatchHandler;
import io.annals.store.EventFilter;
import io.annals.store.EventStoreClosedException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.jdbc.JdbcWorkException;
import io.annals.store.jdbc.JdbcTransaction;
import io.annals.store.jdbc.JdbcReadWork;
import io.annals.store.jdbc.JdbcTransactionWork;
import io.annals.store.jdbc.TableNames;
import io.annals.store.jsonlines.ChunkedImport;
import io.annals.store.jsonlines.ExportResult;
import io.annals.store.jsonlines.ImportResult;
import io.annals.store.jsonlines.JsonLinesTransfer;
import io.annals.store.subscription.AppendSignal;
import io.annals.store.subscription.StoreSubscriptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
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
public final class PostgresEventStore implements JdbcEventStore, ConditionalAppender, QueryReader, QuerySubscriptions, JsonLinesTransfer, CommandLog {

    private static final int IMPORT_CHUNK_LINES = 10_000;

    private final SchemaName schema;
    private final DataSource dataSource;
    private final FairPool ownedPool;
    private final AppendLimits limits;
    private final AppendSignal signal = new AppendSignal();
    private final CommitWatermark watermark = new CommitWatermark();
    private final OtherListeners otherListeners = new OtherListeners();
    private final CommitNotifier notifier;
    private final WriteCombiner combiner;
    private final AppendCall appendCall;
    private final BatchWriter batchWriter;
    private final EventReads reads;
    private final QueryReads queryReads;
    private final ConditionalAppend conditionalAppend;
    private final CommandRecords commandRecords;
    private final StreamDeletes deletes;
    private final NotificationListener listener;
    private final HorizonWatch horizonWatch;
    private final PostgresSnapshotStore snapshots;
    private final StoreSubscriptions subscriptions;
    private final Duration readYourWritesWait;
    private final AtomicBoolean closed = new AtomicBoolean();

    PostgresEventStore(PostgresEventStoreBuilder builder, DataSource dataSource, FairPool ownedPool,
                               ConnectionFactory listenerConnections) {
        this.schema = builder.schema;
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.limits = builder.limits;
        this.readYourWritesWait = builder.readYourWritesWait;
        this.appendCall = new AppendCall(schema);
        this.notifier = new CommitNotifier(dataSource, schema, otherListeners);
        this.batchWriter = new BatchWriter(dataSource, schema, signal, watermark, notifier);
        this.combiner = new WriteCombiner(batchWriter, schema, builder.writeLanes, builder.maxBatchEvents);
        this.reads = new EventReads(dataSource, schema);
        this.queryReads = new QueryReads(dataSource, schema);
        this.conditionalAppend = new ConditionalAppend(schema, appendCall);
        this.commandRecords = new CommandRecords(schema, conditionalAppend);
        this.deletes = new StreamDeletes(dataSource, schema);
        this.snapshots = new PostgresSnapshotStore(dataSource, schema, this::requireOpen);
        this.listener = new NotificationListener(listenerConnections, schema, signal, watermark, otherListeners,
                builder.reconnectDelay);
        this.horizonWatch = new HorizonWatch(dataSource, schema, builder.horizonCheckInterval,
                builder.longTransactionThreshold);
        this.subscriptions = new StoreSubscriptions("annals-pg", new PostgresSubscriptionReads(reads, this, watermark),
                signal, builder.subscriptionBatchSize, builder.pollInterval);
    }

    /** A store on its own connection pool for {@code jdbcUrl} (credentials may be in the URL or set on the builder). */
    public static PostgresEventStoreBuilder builder(String jdbcUrl) {
        return new PostgresEventStoreBuilder(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), null);
    }

    /**
     * A store on the caller's data source, which the store does not close. The LISTEN connection
     * comes from {@link PostgresEventStoreBuilder#notificationConnections}, or from the pool's own settings when it is
     * a HikariCP pool, or else it permanently takes one connection from {@code dataSource}.
     */
    public static PostgresEventStoreBuilder builder(DataSource dataSource) {
        return new PostgresEventStoreBuilder(null, Objects.requireNonNull(dataSource, "dataSource"));
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
        requireOpen();
        AppendValidation.validate(streamId, expected, events, limits);
        return combiner.append(new AppendRequest(streamId, expected, List.copyOf(events)));
    }

    /**
     * Appends to several streams, or under a condition, in a transaction of its own (ADR 0008);
     * an unconditional append to one stream is combined with others like any append.
     */
    @Override
    public AppendResults append(Append append) {
        Objects.requireNonNull(append, "append");
        requireOpen();
        for (StreamWrite write : append.writes()) {
            AppendValidation.validate(write.streamId(), write.expected(), write.events(), limits);
        }
        if (append.writes().size() == 1 && append.condition().isEmpty()) {
            StreamWrite only = append.writes().getFirst();
            return new AppendResults(List.of(append(only.streamId(), only.expected(), only.events())));
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw SqlFailures.unavailable("could not start an append", e);
        }
        AppendResults results;
        try (connection) {
            connection.setAutoCommit(false);
            results = conditionalAppend.run(connection, append);
        } catch (SQLException e) {
            if (SqlFailures.isUniqueViolation(e, SqlFailures.EVENT_ID_CONSTRAINT)) {
                StreamWrite first = append.writes().getFirst();
                throw new DuplicateEventException(first.streamId(), first.events().getFirst().eventId());
            }
            throw SqlFailures.unavailable("append to " + append.writes().size() + " streams failed", e);
        }
        committed(results);
        return results;
    }

    /** Lets readers, other nodes and subscribers know of an append committed outside the combiner. */
    private void committed(AppendResults results) {
        long stamp = results.position().transaction();
        watermark.advance(stamp);
        notifier.committed(stamp);
        signal.signal();
    }

    /** Claims the command's id, appends and keeps the record in one transaction of its own (ADR 0009). */
    @Override
    public CommandRecording record(CommandRecord record, Optional<Append> append, Instant expiredBefore) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(append, "append");
        Objects.requireNonNull(expiredBefore, "expiredBefore");
        requireOpen();
        append.ifPresent(a -> a.writes().forEach(write ->
                AppendValidation.validate(write.streamId(), write.expected(), write.events(), limits)));
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw SqlFailures.unavailable("could not start a command's append", e);
        }
        CommandRecording recording;
        try (connection) {
            connection.setAutoCommit(false);
            recording = commandRecords.record(connection, record, append, expiredBefore);
        } catch (SQLException e) {
            if (SqlFailures.isUniqueViolation(e, SqlFailures.EVENT_ID_CONSTRAINT) && append.isPresent()) {
                StreamWrite first = append.get().writes().getFirst();
                throw new DuplicateEventException(first.streamId(), first.events().getFirst().eventId());
            }
            throw SqlFailures.unavailable("recording command " + record.commandId() + " failed", e);
        }
        if (recording instanceof CommandRecording.Written written) {
            written.recorded().results().ifPresent(this::committed);
        }
        return recording;
    }

    @Override
    public long expire(Instant recordedBefore) {
        Objects.requireNonNull(recordedBefore, "recordedBefore");
        requireOpen();
        try (Connection connection = dataSource.getConnection()) {
            return commandRecords.expire(connection, recordedBefore);
        } catch (SQLException e) {
            throw SqlFailures.unavailable("expiring command records failed", e);
        }
    }

    /** A read that stops below the read horizon, done again once the horizon moved. */
    @FunctionalInterface
    private interface HorizonRead<T> {
        T read() throws SQLException;
    }

    /**
     * Like {@link #readAll}, waits briefly for events this process knows committed but the horizon
     * still holds back; unlike it, only for those the query matches, so that a decision about
     * a new user does not wait for every other user's registration to fall into the order.
     */
    @Override
    public QueryRead read(EventQuery query, Position after, int limit) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(after, "after");
        requireOpen();
        long known = watermark.get();
        try {
            QueryReads.Page page = queryReads.read(query, after, limit, known);
            if (page.read().events().size() == limit || page.heldBack().isEmpty()) {
                return page.read();
            }
            return awaitHorizonPast(page.heldBack().getAsLong(),
                    () -> queryReads.read(query, after, limit, known).read(), page.read());
        } catch (SQLException e) {
            throw SqlFailures.unavailable("read by query failed", e);
        }
    }

    /**
     * Runs {@code work} in one transaction: appends made through the transaction and the caller's
     * own statements on {@link JdbcTransaction#connection()} commit together. An exception from
     * {@code work} rolls everything back and is rethrown; an {@link SQLException} of the caller's
     * own statements as {@link JdbcWorkException}. A failed append leaves the transaction
     * unusable, so let its exception propagate.
     */
    @Override
    public <T> T inTransaction(JdbcTransactionWork<T> work) {
        Objects.requireNonNull(work, "work");
        Connection connection = borrowConnection("a transaction");
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
                watermark.advance(transaction.highestStamp);
                notifier.committed(transaction.highestStamp);
                signal.signal();
            }
            return result;
        } catch (SQLException e) {
            if (SqlFailures.isConnectionFailure(e)) {
                throw SqlFailures.unavailable("transaction failed; it was committed completely or not at all", e);
            }
            throw new JdbcWorkException("SQL in the transaction failed and everything was rolled back", e);
        }
    }

    @Override
    public <T> T read(JdbcReadWork<T> work) {
        Objects.requireNonNull(work, "work");
        try (Connection connection = borrowConnection("a read")) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            // one snapshot for all of the caller's queries, as on SQLite
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                StreamDeletes.rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            if (SqlFailures.isConnectionFailure(e)) {
                throw SqlFailures.unavailable("read failed", e);
            }
            throw new JdbcWorkException("a query of yours failed", e);
        }
    }

    private Connection borrowConnection(String forWhat) {
        requireOpen();
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw SqlFailures.unavailable("could not start " + forWhat, e);
        }
    }

    /** {@code schema.table}: the store's tables live in its schema. */
    @Override
    public String tableName(String table) {
        return schema.qualify(TableNames.requireValid(table));
    }

    private final class Transaction implements JdbcTransaction {
        private final Connection connection;
        private boolean appended;
        private long highestStamp;
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
                outcome = appendCall.execute(connection, List.of(request), null).getFirst();
            } catch (SQLException e) {
                if (SqlFailures.isUniqueViolation(e, SqlFailures.EVENT_ID_CONSTRAINT)) {
                    // looked up on another connection, which does not see ids this transaction wrote itself
                    UUID stored = batchWriter.findStored(request);
                    throw new DuplicateEventException(streamId, stored != null ? stored : events.getFirst().eventId());
                }
                throw SqlFailures.unavailable("append to " + streamId + " in a transaction failed", e);
            }
            AppendResult result = outcome.resultOrThrow(streamId, expected);
            if (outcome.wroteEvents()) {
                appended = true;
                highestStamp = Math.max(highestStamp, result.position().transaction());
            }
            return result;
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
        requireOpen();
        try {
            return reads.readStream(streamId, fromVersion, direction, limit);
        } catch (SQLException e) {
            throw SqlFailures.unavailable("read of stream " + streamId + " failed", e);
        }
    }

    @Override
    public StreamState streamState(StreamId streamId) {
        Objects.requireNonNull(streamId, "streamId");
        requireOpen();
        try {
            return reads.streamState(streamId);
        } catch (SQLException e) {
            throw SqlFailures.unavailable("state of stream " + streamId + " could not be read", e);
        }
    }

    /**
     * Reads all events in global order, never past the horizon of transactions still open (ADR
     * 0003). When events this process knows to be committed (its own appends, or other processes'
     * announced by NOTIFY) are still behind the horizon, waits up to the configured
     * {@link PostgresEventStoreBuilder#readYourWritesWait} for the older transactions holding them back to end, so
     * that a read right after an append sees it.
     */
    @Override
    public Position headPosition() {
        requireOpen();
        try {
            return reads.lastPosition();
        } catch (SQLException e) {
            throw SqlFailures.unavailable("the last position could not be read", e);
        }
    }

    @Override
    public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(filter, "filter");
        requireOpen();
        long known = watermark.get();
        try {
            List<RecordedEvent> batch = reads.readAll(after, limit, filter);
            if (known <= after.transaction() || batch.size() == limit
                    || !batch.isEmpty() && batch.getLast().position().transaction() >= known) {
                return batch;
            }
            return awaitHorizonPast(known, () -> reads.readAll(after, limit, filter), batch);
        } catch (SQLException e) {
            throw SqlFailures.unavailable("read of all events failed", e);
        }
    }

    /**
     * Waits for the horizon to pass {@code known}. The transactions holding it back are usually
     * this process's own appends in other lanes, whose commits raise the append signal, so each
     * commit here wakes the check at once; transactions of other processes or sessions send no
     * signal, so the wait also looks again after short, growing pauses (up to 20 ms).
     */
    private <T> T awaitHorizonPast(long known, HorizonRead<T> reread, T batch) throws SQLException {
        long deadline = System.nanoTime() + readYourWritesWait.toNanos();
        long pauseMicros = 500;
        while (true) {
            long generation = signal.generation();
            if (reads.horizon() > known) {
                return reread.read();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return batch;
            }
            try {
                signal.awaitChange(generation, Duration.ofNanos(Math.min(remaining, pauseMicros * 1_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return batch;
            }
            pauseMicros = Math.min(pauseMicros * 2, 20_000);
        }
    }

    @Override
    public void delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(mode, "mode");
        requireOpen();
        try {
            deletes.delete(streamId, expected, mode);
        } catch (SQLException e) {
            throw SqlFailures.unavailable("delete of stream " + streamId + " failed", e);
        }
        subscriptions.streamDeleted(streamId);
    }

    @Override
    public Subscription subscribeToAll(Position after, EventFilter filter, int maxBatch, EventBatchHandler handler) {
        requireOpen();
        return subscriptions.toAll(after, filter, maxBatch, handler);
    }

    @Override
    public Subscription subscribeToStream(StreamId streamId, long afterVersion, int maxBatch,
                                          EventBatchHandler handler) {
        requireOpen();
        return subscriptions.toStream(streamId, afterVersion, maxBatch, handler);
    }

    /** How far readers of all events are held back by open transactions right now. */
    public ReaderLag readerLag() {
        try {
            return horizonWatch.measure();
        } catch (SQLException e) {
            throw SqlFailures.unavailable("reader lag could not be measured", e);
        }
    }

    /** Whether appends send notifications: only while another process listens on the schema (ADR 0003). */
    boolean notifiesOtherProcesses() {
        return otherListeners.present();
    }

    /** Whether the LISTEN connection is up; while it is down subscriptions fall back to polling. */
    public boolean isListening() {
        return listener.isConnected();
    }

    /**
     * Stores the events and deletions of a JSON lines export, keeping event ids, versions, and
     * recorded and occurred times (to the microsecond); positions are assigned anew, in file
     * order. Lines are committed in chunks of ten thousand, each loaded with COPY in one
     * transaction.
     */
    @Override
    public ImportResult importJsonLines(InputStream in) {
        requireOpen();
        var chunks = new ImportChunks(dataSource, schema, stamp -> {
            watermark.advance(stamp);
            notifier.committed(stamp);
            signal.signal();
        });
        return ChunkedImport.run(in, IMPORT_CHUNK_LINES, chunks::write);
    }

    /**
     * Writes every event in global order, then every deletion, as JSON lines, from one
     * repeatable-read transaction: appends may go on meanwhile.
     */
    @Override
    public ExportResult exportJsonLines(OutputStream out) throws IOException {
        requireOpen();
        return new StoreExport(dataSource, schema).run(out);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscriptions.close();
        combiner.close();
        listener.close();
        horizonWatch.close();
        notifier.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new EventStoreClosedException("the PostgreSQL store on schema " + schema + " is closed");
        }
    }

    void start() {
        notifier.start();
        listener.start();
        horizonWatch.start();
    }
}
