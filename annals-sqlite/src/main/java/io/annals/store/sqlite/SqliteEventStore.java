package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.Append;
import io.annals.store.AppendLimits;
import io.annals.store.AppendResult;
import io.annals.store.AppendResults;
import io.annals.store.CommandLog;
import io.annals.store.CommandRecord;
import io.annals.store.CommandRecording;
import io.annals.store.InvalidAppendException;
import io.annals.store.ConditionalAppender;
import io.annals.store.DeleteMode;
import io.annals.store.EventBatchHandler;
import io.annals.store.EventFilter;
import io.annals.store.EventQuery;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.jdbc.JdbcWorkException;
import io.annals.store.jdbc.JdbcReadWork;
import io.annals.store.jdbc.JdbcTransactionWork;
import io.annals.store.ExpectedVersion;
import io.annals.store.QueryRead;
import io.annals.store.QueryReader;
import io.annals.store.QuerySubscriptions;
import io.annals.store.ReadDirection;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import io.annals.store.jsonlines.ChunkedImport;
import io.annals.store.jsonlines.ExportResult;
import io.annals.store.jsonlines.ImportResult;
import io.annals.store.jsonlines.JsonLinesTransfer;
import io.annals.store.subscription.AppendSignal;
import io.annals.store.subscription.StoreSubscriptions;
import io.annals.store.subscription.SubscriptionReads;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded event store: one SQLite file, nothing to install.
 *
 * <p><b>File.</b> The store keeps everything in one database file in WAL mode (plus its
 * {@code -wal} and {@code -shm} companions and a {@code .lock} file). One process at a time may
 * open it: the store holds an exclusive lock on {@code <file>.lock} and refuses to open a file
 * locked by another, a file that is not SQLite, or an SQLite file of another application, with a
 * {@link SqliteOpenException} that names the file and the problem. Such files are left untouched.
 *
 * <p><b>Writes.</b> One connection does all writing. Concurrent appends are queued and combined
 * into shared transactions, each with its own expected-version check and its own result, so more
 * writers mean more throughput instead of lock errors. Positions are {@code Position.of(n)}
 * with {@code n} gap-free and in commit order.
 *
 * <p><b>Durability.</b> An append returns after its transaction committed. With the default
 * {@link Synchronous#NORMAL} that commit survives the process being killed at any point; with
 * {@link Synchronous#FULL} it also survives power loss (one fsync per combined transaction).
 *
 * <p><b>Reads</b> run on a small pool of read-only connections and never block the writer.
 * Subscriptions are woken in-process right after each commit.
 *
 * <p><b>Your own tables.</b> {@link #inTransaction} runs your SQL in the writer's transaction
 * together with appends, so that a read model or checkpoint commits atomically with events.
 */
public final class SqliteEventStore implements JdbcEventStore, ConditionalAppender, QueryReader, QuerySubscriptions, JsonLinesTransfer, CommandLog {

    /** Where the server keeps its store when told nothing else. */
    public static final Path DEFAULT_FILE = Path.of("annals-data", "annals.db");

    private static final int SUBSCRIPTION_BATCH = 512;
    private static final int IMPORT_CHUNK_LINES = 10_000;
    private static final Duration MIN_FLUSH_CHECK = Duration.ofMillis(5);
    private static final Logger log = LoggerFactory.getLogger(SqliteEventStore.class);

    private final Path file;
    private final Synchronous synchronous;
    private final StoreFileLock lock;
    private final StoreWriter writer;
    private final WriteCombiner combiner;
    private final ReaderPool readers;
    private final WalCheckpointer checkpointer;
    private final PeriodicThread streamIndexFlusher;
    private final StoreReads reads;
    private final AppendPreparation preparation;
    private final AppendSignal appended = new AppendSignal();
    private final StoreSubscriptions subscriptions;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SqliteSnapshotStore snapshots = new SqliteSnapshotStore(this);

    private SqliteEventStore(Builder builder) {
        this.synchronous = builder.synchronous;
        this.preparation = new AppendPreparation(builder.limits);
        StoreFile.Opened opened = StoreFile.open(builder.file, builder.synchronous);
        this.file = opened.file();
        this.lock = opened.lock();
        StoreWriter createdWriter = null;
        WalCheckpointer createdCheckpointer = null;
        try {
            createdCheckpointer = new WalCheckpointer(file);
            createdWriter = new StoreWriter(file, opened.writer(), builder.clock, appended, preparation, createdCheckpointer,
                    builder.streamIndexFlush);
            this.readers = new ReaderPool(file, builder.readConnections);
        } catch (SQLException e) {
            if (createdCheckpointer != null) {
                createdCheckpointer.close();
            }
            if (createdWriter != null) {
                createdWriter.close();
            } else {
                StoreFile.closeQuietly(opened.writer());
            }
            lock.close();
            throw SqliteErrors.atOpen(file, "preparing connections", e);
        }
        this.checkpointer = createdCheckpointer;
        this.writer = createdWriter;
        this.combiner = new WriteCombiner(writer);
        // half the allowed age, so that an idle store's tail is indexed within the age, give or take
        Duration flushCheck = builder.streamIndexFlush.maxAge().dividedBy(2);
        this.streamIndexFlusher = new PeriodicThread("annals-sqlite-stream-index",
                flushCheck.compareTo(MIN_FLUSH_CHECK) < 0 ? MIN_FLUSH_CHECK : flushCheck, this::flushStreamIndexIfOverdue);
        this.reads = new StoreReads(readers, new StreamIds());
        this.subscriptions = new StoreSubscriptions("annals-sqlite", SubscriptionReads.of(this, reads::lastPosition),
                appended, SUBSCRIPTION_BATCH, builder.subscriptionFallbackPoll);
    }

    /** Opens (creating if needed) the store in {@code file} with the defaults. */
    public static SqliteEventStore open(Path file) {
        return builder(file).build();
    }

    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** Options of {@link SqliteEventStore}; every one has a sensible default. */
    public static final class Builder {
        private final Path file;
        private Synchronous synchronous = Synchronous.NORMAL;
        private int readConnections = 4;
        private AppendLimits limits = AppendLimits.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private Duration subscriptionFallbackPoll = Duration.ofSeconds(1);
        private UnindexedTail.FlushPolicy streamIndexFlush = UnindexedTail.FlushPolicy.DEFAULT;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file");
        }

        /** How durable an acknowledged append is; {@link Synchronous#NORMAL} unless set. */
        public Builder synchronous(Synchronous value) {
            this.synchronous = Objects.requireNonNull(value, "synchronous");
            return this;
        }

        /** How many read-only connections serve reads and subscriptions concurrently; 4 unless set. */
        public Builder readConnections(int value) {
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("readConnections must be between 1 and 64, got " + value);
            }
            this.readConnections = value;
            return this;
        }

        public Builder limits(AppendLimits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** The clock that stamps {@code recordedAt}. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * How long the subscriptions' shared reader waits at most before it reads again when no
         * append woke it; 1 second unless set. Appends through this store wake it at once, so
         * this only bounds the delay for a missed wake-up.
         */
        public Builder subscriptionFallbackPoll(Duration value) {
            Objects.requireNonNull(value, "subscriptionFallbackPoll");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("subscriptionFallbackPoll must be positive, got " + value);
            }
            this.subscriptionFallbackPoll = value;
            return this;
        }

        /** When the writer moves new events into the stream index; for tests that want many flushes. */
        Builder streamIndexFlush(UnindexedTail.FlushPolicy value) {
            this.streamIndexFlush = Objects.requireNonNull(value, "streamIndexFlush");
            return this;
        }

        /**
         * Opens the store.
         *
         * @throws SqliteOpenException when the file is locked, not an Annals store, damaged, or cannot be written
         */
        public SqliteEventStore build() {
            return new SqliteEventStore(this);
        }
    }

    /** The absolute path of the database file. */
    public Path file() {
        return file;
    }

    public Synchronous synchronous() {
        return synchronous;
    }

    @Override
    public AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        WriteOp.Append op = preparation.prepare(streamId, expected, events);
        return ((AppendOutcome) submit(op)).result();
    }

    @Override
    public AppendResults append(Append append) {
        Objects.requireNonNull(append, "append");
        return ((AppendOutcome) submit(preparation.prepare(append))).results();
    }

    /** Writes the record in the writer's transaction, combined with other writes like any append. */
    @Override
    public CommandRecording record(CommandRecord record, Optional<Append> append, Instant expiredBefore) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(append, "append");
        Objects.requireNonNull(expiredBefore, "expiredBefore");
        if (!EventColumns.fitsNanos(record.recordedAt())) {
            throw new InvalidAppendException("recordedAt " + record.recordedAt() + " is out of the range this store keeps");
        }
        append.ifPresent(preparation::prepare);
        return (CommandRecording) submit(new WriteOp.Record(record, append, expiredBefore));
    }

    @Override
    public long expire(Instant recordedBefore) {
        Objects.requireNonNull(recordedBefore, "recordedBefore");
        return (Long) submit(new WriteOp.ExpireCommands(recordedBefore));
    }

    @Override
    public QueryRead read(EventQuery query, Position after, int limit) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(after, "after");
        requireOpen();
        return reads.read(query, after, limit);
    }

    @Override
    public void delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(mode, "mode");
        submit(new WriteOp.Delete(streamId, expected, mode));
        subscriptions.streamDeleted(streamId);
    }

    @Override
    public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, ReadDirection direction, int limit) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(direction, "direction");
        requireOpen();
        return reads.readStream(streamId, fromVersion, direction, limit);
    }

    @Override
    public StreamState streamState(StreamId streamId) {
        Objects.requireNonNull(streamId, "streamId");
        requireOpen();
        return reads.streamState(streamId);
    }

    @Override
    public Position headPosition() {
        requireOpen();
        return reads.lastPosition();
    }

    @Override
    public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(filter, "filter");
        requireOpen();
        return reads.readAll(after, limit, filter);
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

    /**
     * Runs {@code work} in the writer's transaction: its {@link io.annals.store.jdbc.JdbcTransaction#append
     * appends} and its SQL on {@link io.annals.store.jdbc.JdbcTransaction#connection()} commit
     * together when it returns, and roll back together when it throws. Use it to keep a read
     * model or a projection checkpoint in the same file, exactly in step with the events.
     *
     * <p>The work holds the only writer connection while it runs, possibly on another writer's
     * thread (writes are combined), so keep it short and do not call this store's own write
     * methods from it (they throw). Its connection refuses commit, rollback and close. A rejected
     * {@code tx.append} (wrong expected version, duplicate, deleted stream) writes nothing; if
     * the work lets the exception escape, everything rolls back.
     *
     * @return what {@code work} returned
     * @throws JdbcWorkException wrapping the {@link SQLException} the work threw; everything was rolled back
     */
    @Override
    public <T> T read(JdbcReadWork<T> work) {
        Objects.requireNonNull(work, "work");
        requireOpen();
        return reads.ownQueries(work);
    }

    @Override
    public <T> T inTransaction(JdbcTransactionWork<T> work) {
        Objects.requireNonNull(work, "work");
        try {
            @SuppressWarnings("unchecked")
            T result = (T) submit(new WriteOp.Work(work));
            return result;
        } catch (PendingWrite.CheckedFailure e) {
            if (e.getCause() instanceof SQLException sqlFailure) {
                throw new JdbcWorkException("SQL in the transaction failed and everything was rolled back", sqlFailure);
            }
            throw new IllegalStateException("the transaction failed and everything was rolled back", e.getCause());
        }
    }

    /** The snapshot store kept in the same file; it lives as long as this store. */
    public SqliteSnapshotStore snapshots() {
        return snapshots;
    }

    /**
     * Writes every event in global order, then every deletion, as JSON lines, from one
     * snapshot of the file: appends may go on meanwhile.
     */
    @Override
    public ExportResult exportJsonLines(OutputStream out) throws IOException {
        requireOpen();
        return reads.export(out);
    }

    /**
     * Stores the events and deletions of a JSON lines export, keeping event ids, versions, and
     * recorded and occurred times; positions are assigned anew, in file order. Lines are
     * committed in chunks of ten thousand, each one writer transaction.
     */
    @Override
    public ImportResult importJsonLines(InputStream in) {
        requireOpen();
        return ChunkedImport.run(in, IMPORT_CHUNK_LINES, new ImportChunks(this, preparation)::write);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscriptions.close();
        streamIndexFlusher.close();
        flushStreamIndex(); // so that a file at rest is fully indexed; a crash instead leaves it to the next start
        // readers first: the last connection to close checkpoints the WAL into the file, and only the writer can
        readers.close();
        checkpointer.close();
        combiner.drainWithLock(writer::close);
        lock.close();
    }

    private void flushStreamIndexIfOverdue() {
        if (!closed.get() && writer.streamIndexOverdue(System.nanoTime())) {
            flushStreamIndex();
        }
    }

    private void flushStreamIndex() {
        try {
            combiner.submit(new WriteOp.FlushStreamIndex());
        } catch (RuntimeException e) {
            // the tail stays readable; the next commit or round tries again
            log.warn("moving new events of {} into the stream index failed: {}", file, e.getMessage());
        }
    }

    Object submit(WriteOp op) {
        requireOpen();
        return combiner.submit(op);
    }

    StoreReads reads() {
        requireOpen();
        return reads;
    }

    StoreWriter writer() {
        return writer;
    }

    private void requireOpen() {
        if (closed.get()) {
            throw SqliteErrors.closed(file);
        }
    }
}
