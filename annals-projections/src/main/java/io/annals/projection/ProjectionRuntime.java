package io.annals.projection;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.store.ReadDirection;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.jdbc.JdbcTransactionWork;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs projections against a store whose database holds their read models (PostgreSQL or
 * SQLite). Each partition of each projection is held by one runtime at a time through a lease
 * with a fencing token; runtimes on several processes share the partitions of one PostgreSQL
 * database, and one that dies is replaced within about {@code lease + lease / 4}. See
 * {@code docs/projections.md} and ADR 0011.
 *
 * <pre>{@code
 * try (var runtime = ProjectionRuntime.builder(store).build()) {
 *     runtime.register(new UserDirectory(), ProjectionOptions.DEFAULTS.withPartitions(4));
 *     runtime.start();
 *     ...
 * }
 * }</pre>
 */
public final class ProjectionRuntime implements AutoCloseable {

    /** Lag and rebuild progress count events up to this many. */
    public static final int LAG_CAP = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRuntime.class);

    private final JdbcEventStore store;
    private final Runner runner;
    private final ProjectionTable projections;
    private final MeterRegistry meters;
    private final Map<String, RunningProjection> running = new ConcurrentHashMap<>();
    private volatile boolean started;
    private volatile boolean closed;

    private ProjectionRuntime(Builder builder) {
        this.store = builder.store;
        this.meters = builder.meters;
        Dialect dialect = store.inTransaction(tx -> Dialect.of(tx.connection()));
        this.runner = new Runner(store, dialect, new CheckpointTable(store, dialect), new DeadLetterTable(store),
                builder.owner, builder.lease, builder.committed);
        this.projections = new ProjectionTable(store);
    }

    public static Builder builder(JdbcEventStore store) {
        return new Builder(store);
    }

    public static final class Builder {
        private final JdbcEventStore store;
        private String owner = "runtime-" + UUID.randomUUID();
        private Duration lease = Duration.ofSeconds(10);
        private MeterRegistry meters = new SimpleMeterRegistry();
        private Consumer<List<RecordedEvent>> committed = events -> { };

        private Builder(JdbcEventStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** How this runtime is named in leases; unique among the runtimes sharing a database. */
        public Builder owner(String value) {
            if (value == null || value.isBlank() || value.length() > 200) {
                throw new IllegalArgumentException("owner must be 1 to 200 characters");
            }
            this.owner = value;
            return this;
        }

        /**
         * How long a partition stays with a runtime that stops renewing it; another runtime takes it
         * over within about {@code lease * 1.25}. Renewed every quarter of it.
         */
        public Builder lease(Duration value) {
            if (value == null || value.compareTo(Duration.ofMillis(200)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("lease must be between 200 ms and 1 hour, got " + value);
            }
            this.lease = value;
            return this;
        }

        public Builder meterRegistry(MeterRegistry value) {
            this.meters = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        /**
         * Called after each transaction of a projection committed, with the events it applied, on
         * the partition's thread: to tell waiting readers that the read model has an event (read
         * your writes), or to measure. Keep it short; what it throws is logged and ignored.
         */
        public Builder afterCommit(Consumer<List<RecordedEvent>> value) {
            Consumer<List<RecordedEvent>> listener = Objects.requireNonNull(value, "afterCommit");
            this.committed = events -> {
                try {
                    listener.accept(events);
                } catch (RuntimeException e) {
                    LOG.warn("an afterCommit listener failed", e);
                }
            };
            return this;
        }

        public ProjectionRuntime build() {
            return new ProjectionRuntime(this);
        }
    }

    public ProjectionRuntime register(Projection projection) {
        return register(projection, ProjectionOptions.DEFAULTS);
    }

    /**
     * Adds a projection: creates its tables, the views named after them and its checkpoints when
     * they are missing. Runs it at once when the runtime has started.
     *
     * @throws IllegalArgumentException when its name or tables are not valid, or it is registered already
     * @throws IllegalStateException when the store knows it with another partition count (rebuild to change it)
     */
    public synchronized ProjectionRuntime register(Projection projection, ProjectionOptions options) {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(options, "options");
        requireOpen();
        ProjectionTables.requireValid(projection);
        String name = projection.name();
        if (running.containsKey(name)) {
            throw new IllegalArgumentException("projection " + name + " is registered already");
        }
        ProjectionTable.Row row = runner.inTransaction(tx -> {
            ProjectionTable.Row stored = projections.register(tx.connection(), name, options.partitions());
            if (stored.partitions() == options.partitions()) {
                ProjectionTables.createMissing(tx, store, runner.dialect(), projection,
                        names(projection, stored.generation()));
                runner.checkpoints().ensure(tx.connection(), name, stored.generation(), options.partitions());
            }
            return stored;
        });
        if (row.partitions() != options.partitions()) {
            throw new IllegalStateException("projection " + name + " runs " + row.partitions()
                    + " partitions; rebuild it to run " + options.partitions());
        }
        var metrics = new ProjectionMetrics(meters, name, () -> state(name), () -> lagSeconds(name));
        var registered = new RunningProjection(projection, options, metrics, row.generation());
        running.put(name, registered);
        if (started) {
            startLive(registered);
        }
        return this;
    }

    /** Starts every registered projection; each partition runs once this runtime holds its lease. */
    public synchronized void start() {
        requireOpen();
        if (started) {
            return;
        }
        started = true;
        running.values().forEach(this::startLive);
    }

    public List<ProjectionStatus> status() {
        return running.values().stream().map(this::status).sorted(java.util.Comparator.comparing(ProjectionStatus::name))
                .toList();
    }

    public Optional<ProjectionStatus> status(String name) {
        return Optional.ofNullable(running.get(name)).map(this::status);
    }

    /**
     * Runs {@code work} in one transaction under this runtime's lease of a partition, fenced as
     * the partition's own batches are: it commits only while the lease is still this runtime's,
     * and no other runtime can take the partition before it has committed. For work that belongs
     * to whoever holds the partition but does not come from its events (a process manager's
     * deadlines).
     *
     * @return what {@code work} returned; empty (and nothing written) when this runtime does not
     *         hold the partition, or lost it meanwhile
     * @throws NoSuchElementException when no such projection is registered
     */
    public <T> Optional<T> inLease(String name, int partition, JdbcTransactionWork<T> work) {
        return inLease(name, partition, work, (connection, lease) -> runner.checkpoints().confirm(connection, lease));
    }

    /**
     * As {@link #inLease(String, int, JdbcTransactionWork)}, and moves the partition's checkpoint to
     * {@code to} in the same transaction: for a partition whose owner follows the store by itself
     * and records how far it got (an outbox relay, which delivers outside any transaction). Its
     * projection selects no events, so the partition's own worker holds the lease and leaves
     * the checkpoint alone.
     */
    public <T> Optional<T> inLease(String name, int partition, Position to, JdbcTransactionWork<T> work) {
        Objects.requireNonNull(to, "to");
        return inLease(name, partition, work, (connection, lease) -> runner.checkpoints().advance(connection, lease, to));
    }

    private interface Fence {
        boolean check(Connection connection, Lease lease) throws SQLException;
    }

    private <T> Optional<T> inLease(String name, int partition, JdbcTransactionWork<T> work, Fence fence) {
        Objects.requireNonNull(work, "work");
        RunningProjection projection = registered(name);
        List<PartitionWorker> live = projection.live;
        if (partition < 0 || partition >= live.size()) {
            return Optional.empty();
        }
        Optional<Lease> lease = live.get(partition).lease();
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(runner.inTransaction(tx -> {
                T result = work.run(tx);
                // the same order as a batch: its writes first, then the checkpoint row
                if (!fence.check(tx.connection(), lease.get())) {
                    throw new ProjectionFailures.LeaseLost();
                }
                return result;
            }));
        } catch (ProjectionFailures.LeaseLost lost) {
            return Optional.empty();
        }
    }

    /**
     * A partition's checkpoint as stored, whoever holds it.
     *
     * @throws NoSuchElementException when no such projection or partition is registered
     */
    public Position checkpoint(String name, int partition) {
        RunningProjection projection = registered(name);
        List<Position> stored = checkpoints(projection, projection.generation);
        if (partition < 0 || partition >= stored.size()) {
            throw new NoSuchElementException("projection " + name + " has no partition " + partition);
        }
        return stored.get(partition);
    }

    /**
     * A partition as this runtime sees it, without reading the store (its checkpoint is the one
     * this runtime last knew): for a health check, which needs the state and not the backlog.
     * Empty when the partition is not running here.
     *
     * @throws NoSuchElementException when no such projection is registered
     */
    public Optional<PartitionStatus> localStatus(String name, int partition) {
        List<PartitionWorker> live = registered(name).live;
        return partition < 0 || partition >= live.size() ? Optional.empty() : Optional.of(live.get(partition).status());
    }

    private RunningProjection registered(String name) {
        return Optional.ofNullable(running.get(name)).orElseThrow(() -> new NoSuchElementException("no projection " + name));
    }

    /** Whether this runtime holds the lease of a partition of the projection now, as far as it knows. */
    public boolean holds(String name, int partition) {
        RunningProjection projection = running.get(name);
        if (projection == null) {
            return false;
        }
        List<PartitionWorker> live = projection.live;
        return partition >= 0 && partition < live.size() && live.get(partition).lease().isPresent();
    }

    /** Dead letters in the order they were parked, of one projection or (empty) of all. */
    public List<DeadLetter> deadLetters(Optional<String> projection, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, got " + limit);
        }
        return runner.inTransaction(tx -> runner.deadLetters().list(tx.connection(), projection.orElse(null), limit));
    }

    /** The outcome of retrying a dead letter: applied (and removed), or failed again with this error. */
    public record RetryResult(boolean applied, Optional<String> error) {
    }

    /**
     * Applies a dead letter's event again, in a transaction of its own. On success the dead letter
     * is removed; a blocking one also moves its partition's checkpoint past the event, and the
     * partition resumes.
     *
     * @throws NoSuchElementException when there is no such dead letter
     * @throws IllegalStateException  when its projection is not registered here, or was rebuilt since
     */
    public RetryResult retry(long deadLetterId) {
        requireOpen();
        DeadLetter letter = find(deadLetterId);
        RunningProjection projection = current(letter);
        RecordedEvent event = store.readStream(letter.streamId(), letter.version(), ReadDirection.FORWARD, 1).stream()
                .filter(e -> e.eventId().equals(letter.eventId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the event of dead letter " + deadLetterId
                        + " can no longer be read (its stream was deleted); discard it"));
        try {
            runner.inTransaction(tx -> {
                var model = new TableReadModel(tx, runner.dialect(),
                        names(projection.definition(), letter.generation()));
                try {
                    projection.definition().apply(event, model);
                } catch (SQLException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new ProjectionFailures.HandlerFailed(e);
                }
                settle(tx.connection(), letter);
                return null;
            });
            return new RetryResult(true, Optional.empty());
        } catch (RuntimeException e) {
            Throwable cause = ProjectionFailures.cause(e);
            runner.inTransaction(tx -> {
                runner.deadLetters().recordFailure(tx.connection(), deadLetterId, cause);
                return null;
            });
            return new RetryResult(false, Optional.of(DeadLetterTable.describe(cause)));
        }
    }

    /**
     * Removes a dead letter without applying its event; a blocking one moves its partition past the
     * event, and the partition resumes.
     *
     * @throws NoSuchElementException when there is no such dead letter
     */
    public void discard(long deadLetterId) {
        requireOpen();
        DeadLetter letter = find(deadLetterId);
        runner.inTransaction(tx -> {
            settle(tx.connection(), letter);
            return null;
        });
    }

    private void settle(Connection connection, DeadLetter letter) throws SQLException {
        if (!runner.deadLetters().delete(connection, letter.id())) {
            throw new NoSuchElementException("dead letter " + letter.id() + " was removed meanwhile");
        }
        if (letter.blocking()) {
            runner.checkpoints().set(connection, letter.projection(), letter.generation(), letter.partition(),
                    letter.position());
        }
    }

    private DeadLetter find(long id) {
        return runner.inTransaction(tx -> runner.deadLetters().find(tx.connection(), id))
                .orElseThrow(() -> new NoSuchElementException("no dead letter " + id));
    }

    private RunningProjection current(DeadLetter letter) {
        RunningProjection projection = running.get(letter.projection());
        if (projection == null) {
            throw new IllegalStateException("projection " + letter.projection() + " is not registered in this runtime");
        }
        return projection;
    }

    /**
     * Builds the projection again from the start into a new generation of its tables while the
     * current one keeps answering queries; when the new one has caught up, the views are pointed
     * at it and the old tables dropped. The normal way to change a read model.
     *
     * @throws NoSuchElementException when no such projection is registered
     * @throws IllegalStateException  when it is rebuilding already or the runtime has not started
     */
    public void rebuild(String name) {
        rebuild(name, Position.START);
    }

    /**
     * As {@link #rebuild(String)}, from the events after {@code from} only: for a read model that
     * starts at a known point (the events before it are archived, or of no interest any more).
     */
    public synchronized void rebuild(String name, Position from) {
        Objects.requireNonNull(from, "from");
        requireOpen();
        RunningProjection projection = Optional.ofNullable(running.get(name))
                .orElseThrow(() -> new NoSuchElementException("no projection " + name));
        if (!started) {
            throw new IllegalStateException("start the runtime before rebuilding");
        }
        if (projection.rebuild != null) {
            throw new IllegalStateException("projection " + name + " is rebuilding already");
        }
        int next = projection.generation + 1;
        Map<String, TableName> names = names(projection.definition(), next);
        runner.inTransaction(tx -> {
            try (Statement statement = tx.connection().createStatement()) {
                for (TableName table : names.values()) {
                    statement.execute("DROP TABLE IF EXISTS " + table.qualified());
                }
            }
            projection.definition().createTables(new TableReadModel(tx, runner.dialect(), names));
            runner.checkpoints().delete(tx.connection(), name, next);
            runner.deadLetters().deleteGeneration(tx.connection(), name, next);
            runner.checkpoints().ensure(tx.connection(), name, next, projection.options().partitions());
            for (int partition = 0; partition < projection.options().partitions(); partition++) {
                runner.checkpoints().set(tx.connection(), name, next, partition, from);
            }
            return null;
        });
        List<PartitionWorker> workers = workers(projection, next, true);
        Thread monitor = Thread.ofVirtual().name("projection-" + name + "-rebuild").unstarted(() -> swapWhenCaughtUp(projection));
        projection.rebuild = new RunningProjection.Rebuild(next, workers, System.nanoTime(), monitor);
        workers.forEach(PartitionWorker::start);
        monitor.start();
    }

    private void swapWhenCaughtUp(RunningProjection projection) {
        RunningProjection.Rebuild rebuild = projection.rebuild;
        while (!closed && !rebuild.workers().stream().allMatch(PartitionWorker::caughtUp)) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            rebuild.workers().forEach(worker -> worker.stop(true));
            projection.live.forEach(worker -> worker.stop(true));
            int from = projection.generation;
            Map<String, TableName> old = names(projection.definition(), from);
            Map<String, TableName> next = names(projection.definition(), rebuild.generation());
            try {
                swap(projection, from, old, next);
            } catch (RuntimeException e) {
                // the old generation stays in place and runs on; the new one is left for the next rebuild to drop
                LOG.error("projection {}: the rebuild could not be swapped in; it runs on from generation {}",
                        projection.name(), from, e);
                projection.rebuild = null;
                startLive(projection);
                return;
            }
            projection.generation = rebuild.generation();
            projection.rebuild = null;
            LOG.info("projection {}: rebuilt into generation {}", projection.name(), rebuild.generation());
            startLive(projection);
        }
    }

    /** One transaction: the next generation becomes current, the views point at it, the old one goes. */
    private void swap(RunningProjection projection, int from, Map<String, TableName> old, Map<String, TableName> next) {
        runner.inTransaction(tx -> {
            if (!projections.advance(tx.connection(), projection.name(), from, projection.options().partitions())) {
                throw new IllegalStateException("projection " + projection.name() + " was rebuilt elsewhere");
            }
            try (Statement statement = tx.connection().createStatement()) {
                for (String table : projection.definition().tables()) {
                    statement.execute("DROP VIEW IF EXISTS " + store.tableName(table));
                    statement.execute("CREATE VIEW " + store.tableName(table) + " AS SELECT * FROM "
                            + next.get(table).qualified());
                    statement.execute("DROP TABLE " + old.get(table).qualified());
                }
            }
            runner.checkpoints().delete(tx.connection(), projection.name(), from);
            runner.deadLetters().deleteGeneration(tx.connection(), projection.name(), from);
            return null;
        });
    }

    /**
     * When another runtime has swapped in a newer generation, this one's workers wait for
     * partitions that no longer exist: stop them and run the new generation. Called by a waiting
     * worker; the switch runs on a thread of its own, since it stops that worker.
     */
    private void followIfRebuiltElsewhere(RunningProjection projection) {
        if (closed || projection.rebuild != null || projection.following.get()) {
            return;
        }
        int stored;
        try {
            stored = runner.inTransaction(tx -> projections.generation(tx.connection(), projection.name()));
        } catch (RuntimeException e) {
            return;
        }
        if (stored <= projection.generation || !projection.following.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("projection-" + projection.name() + "-follow").start(() -> {
            try {
                synchronized (this) {
                    if (closed || projection.rebuild != null || stored <= projection.generation) {
                        return;
                    }
                    projection.live.forEach(worker -> worker.stop(true));
                    projection.generation = stored;
                    LOG.info("projection {}: follows generation {}, rebuilt by another runtime", projection.name(), stored);
                    startLive(projection);
                }
            } finally {
                projection.following.set(false);
            }
        });
    }

    /** Stops every projection and releases its leases, so another runtime can take them at once. */
    @Override
    public synchronized void close() {
        stopAll(true);
    }

    /** Stops without releasing leases, as a process that died: for tests of takeover. */
    synchronized void halt() {
        stopAll(false);
    }

    private void stopAll(boolean release) {
        if (closed) {
            return;
        }
        closed = true;
        for (RunningProjection projection : running.values()) {
            RunningProjection.Rebuild rebuild = projection.rebuild;
            if (rebuild != null) {
                rebuild.workers().forEach(worker -> worker.stop(release));
            }
            projection.live.forEach(worker -> worker.stop(release));
        }
    }

    private void startLive(RunningProjection projection) {
        projection.live = workers(projection, projection.generation, false);
        projection.live.forEach(PartitionWorker::start);
    }

    private List<PartitionWorker> workers(RunningProjection projection, int generation, boolean rebuild) {
        Map<String, TableName> names = names(projection.definition(), generation);
        var workers = new ArrayList<PartitionWorker>();
        for (int partition = 0; partition < projection.options().partitions(); partition++) {
            workers.add(new PartitionWorker(runner, projection, generation, partition, names, rebuild,
                    rebuild ? () -> { } : () -> followIfRebuiltElsewhere(projection)));
        }
        return List.copyOf(workers);
    }

    private Map<String, TableName> names(Projection projection, int generation) {
        return ProjectionTables.names(store, projection, generation);
    }

    private ProjectionStatus status(RunningProjection projection) {
        List<PartitionWorker> live = projection.live;
        RunningProjection.Rebuild rebuild = projection.rebuild;
        int generation = projection.generation;
        // the stored checkpoints: they show the progress of partitions other runtimes hold as well
        List<Position> stored = checkpoints(projection, generation);
        var partitions = new ArrayList<PartitionStatus>();
        for (int partition = 0; partition < stored.size(); partition++) {
            Position checkpoint = stored.get(partition);
            partitions.add(live.size() > partition
                    ? live.get(partition).status().withCheckpoint(checkpoint)
                    : new PartitionStatus(partition, ProjectionState.STOPPED, checkpoint, false, 0, 0, 0,
                            Optional.empty(), Optional.empty()));
        }
        ProjectionState state = state(projection, partitions);
        long handled = partitions.stream().mapToLong(PartitionStatus::eventsHandled).sum();
        long errors = partitions.stream().mapToLong(PartitionStatus::errors).sum();
        Backlog backlog = backlog(projection, stored);
        Optional<RebuildProgress> progress = Optional.ofNullable(rebuild).map(r -> progress(projection, r));
        return new ProjectionStatus(projection.name(), state, List.copyOf(partitions), handled,
                projection.metrics().perSecond(), errors, backlog.events(), backlog.age(), progress);
    }

    private List<Position> checkpoints(RunningProjection projection, int generation) {
        // a read, not a transaction: on SQLite that would wait for the writer, which a handler may hold
        return runner.store().read(connection -> runner.checkpoints().rows(connection, projection.name(), generation))
                .stream().map(CheckpointTable.Row::position).toList();
    }

    private RebuildProgress progress(RunningProjection projection, RunningProjection.Rebuild rebuild) {
        long done = rebuild.workers().stream().mapToLong(worker -> worker.status().eventsHandled()).sum();
        double seconds = (System.nanoTime() - rebuild.startedNanos()) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        long left = backlog(projection, checkpoints(projection, rebuild.generation())).events();
        Optional<Duration> timeLeft = rate > 0 ? Optional.of(Duration.ofMillis((long) (left / rate * 1000)))
                : Optional.empty();
        return new RebuildProgress(done, rate, left, timeLeft);
    }

    private record Backlog(long events, Duration age) {
    }

    /** Selected events after the partitions' checkpoints, up to {@link #LAG_CAP}, and the wait of the oldest. */
    private Backlog backlog(RunningProjection projection, List<Position> checkpoints) {
        if (checkpoints.isEmpty() || projection.definition().selection().none()) {
            return new Backlog(0, Duration.ZERO);
        }
        Position from = checkpoints.stream().min(Position::compareTo).orElseThrow();
        List<RecordedEvent> after = store.readAll(from, LAG_CAP, projection.definition().selection().filter());
        long events = 0;
        Instant oldest = null;
        for (RecordedEvent event : after) {
            Position checkpoint = checkpoints.get(Partitions.of(event.streamId(), checkpoints.size()));
            if (event.position().isAfter(checkpoint) && projection.definition().selection().matches(event)) {
                events++;
                if (oldest == null) {
                    oldest = event.recordedAt();
                }
            }
        }
        Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest, Instant.now());
        return new Backlog(events, age.isNegative() ? Duration.ZERO : age);
    }

    private ProjectionState state(String name) {
        RunningProjection projection = running.get(name);
        return projection == null ? ProjectionState.STOPPED
                : state(projection, projection.live.stream().map(PartitionWorker::status).toList());
    }

    private ProjectionState state(RunningProjection projection, List<PartitionStatus> partitions) {
        var states = partitions.stream().map(PartitionStatus::state).toList();
        if (states.contains(ProjectionState.FAILED)) {
            return ProjectionState.FAILED;
        }
        if (projection.rebuild != null) {
            return ProjectionState.REBUILDING;
        }
        for (ProjectionState candidate : List.of(ProjectionState.CATCHING_UP, ProjectionState.LIVE,
                ProjectionState.WAITING)) {
            if (states.contains(candidate)) {
                return candidate;
            }
        }
        return ProjectionState.STOPPED;
    }

    /** Age of the last applied event at the time it was applied, for partitions still catching up. */
    private double lagSeconds(String name) {
        RunningProjection projection = running.get(name);
        if (projection == null) {
            return 0;
        }
        double lag = 0;
        for (PartitionWorker worker : projection.live) {
            PartitionStatus status = worker.status();
            if (status.state() == ProjectionState.CATCHING_UP && status.lastRecordedAt().isPresent()) {
                lag = Math.max(lag, Duration.between(status.lastRecordedAt().get(), Instant.now()).toMillis() / 1000.0);
            }
        }
        return lag;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the projection runtime is closed");
        }
    }
}
