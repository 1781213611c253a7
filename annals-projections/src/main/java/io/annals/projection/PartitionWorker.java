package io.annals.projection;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.projection.ProjectionFailures.HandlerFailed;
import io.annals.projection.ProjectionFailures.LeaseLost;
import io.annals.projection.ProjectionFailures.StoppedOnDeadLetter;
import io.annals.store.EventStoreClosedException;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.Subscription;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one partition of one projection: claims its lease, follows the store from its checkpoint
 * and applies each batch of events with the checkpoint in one transaction, fenced by the lease.
 */
final class PartitionWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWorker.class);
    private static final Duration STEP = Duration.ofMillis(50);
    /** How often a partition stopped before a dead letter looks whether it was retried or discarded. */
    private static final Duration BLOCKED_CHECK = Duration.ofMillis(200);

    private final Runner runner;
    private final RunningProjection projection;
    private final int generation;
    private final int partition;
    private final Map<String, TableName> tables;
    private final boolean rebuild;
    /** Run when the partition cannot be claimed: another runtime may have rebuilt the projection. */
    private final Runnable whileWaiting;

    private volatile boolean stopped;
    private volatile boolean releaseOnStop = true;
    private volatile ProjectionState state = ProjectionState.STOPPED;
    private volatile Lease lease;
    private volatile Position checkpoint = Position.START;
    private volatile Instant lastRecordedAt;
    private volatile String lastError;
    private volatile long progressNanos = System.nanoTime();
    private volatile boolean inBatch;
    private volatile boolean caughtUp;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private Thread thread;

    PartitionWorker(Runner runner, RunningProjection projection, int generation, int partition,
                    Map<String, TableName> tables, boolean rebuild, Runnable whileWaiting) {
        this.whileWaiting = whileWaiting;
        this.runner = runner;
        this.projection = projection;
        this.generation = generation;
        this.partition = partition;
        this.tables = Map.copyOf(tables);
        this.rebuild = rebuild;
    }

    void start() {
        thread = Thread.ofVirtual().name("projection-" + projection.name() + "-" + generation + "-" + partition).start(this);
    }

    /** Stops and waits; releases the lease unless {@code release} is false (as a process that died would). */
    void stop(boolean release) {
        releaseOnStop = release;
        stopped = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state = ProjectionState.STOPPED;
    }

    PartitionStatus status() {
        Lease held = lease;
        return new PartitionStatus(partition, state, checkpoint, held != null, held == null ? 0 : held.fence(),
                handled.get(), errors.get(), Optional.ofNullable(lastError), Optional.ofNullable(lastRecordedAt));
    }

    int partition() {
        return partition;
    }

    /** The lease this worker holds now, as far as it knows. */
    Optional<Lease> lease() {
        return Optional.ofNullable(lease);
    }

    /** Whether the partition has caught up with the store since it last started following it. */
    boolean caughtUp() {
        return caughtUp;
    }

    Position checkpoint() {
        return checkpoint;
    }

    @Override
    public void run() {
        while (!stopped) {
            Optional<Lease> claimed;
            try {
                claimed = runner.inTransaction(tx -> runner.checkpoints().claim(tx.connection(),
                        projection.name(), generation, partition, runner.owner(), runner.lease().toMillis()));
            } catch (RuntimeException e) {
                failed("could not claim the partition", e);
                pause(runner.renewInterval());
                continue;
            }
            if (claimed.isEmpty()) {
                state = ProjectionState.WAITING;
                whileWaiting.run();
                pause(runner.renewInterval());
                continue;
            }
            lease = claimed.get();
            try {
                hold(lease);
            } finally {
                if (stopped && releaseOnStop) {
                    release(lease);
                }
                lease = null;
            }
        }
    }

    /** Runs the partition while the lease lasts; returns when it is lost, the worker stops or the store fails. */
    private void hold(Lease held) {
        while (!stopped) {
            try {
                if (runner.inTransaction(tx -> runner.deadLetters().blocking(tx.connection(), projection.name(),
                        generation, partition)).isPresent()) {
                    state = ProjectionState.FAILED;
                    pause(BLOCKED_CHECK.compareTo(runner.renewInterval()) < 0 ? BLOCKED_CHECK : runner.renewInterval());
                    if (!renew(held)) {
                        return;
                    }
                    continue;
                }
                checkpoint = runner.inTransaction(tx -> runner.checkpoints().rows(tx.connection(),
                        projection.name(), generation))
                        .get(partition).position();
            } catch (RuntimeException e) {
                failed("could not read the partition's state", e);
                pause(runner.renewInterval());
                return;
            }
            Outcome outcome = follow(held);
            switch (outcome) {
                case LEASE_LOST, SHUT_DOWN -> {
                    return;
                }
                case STOPPED_ON_DEAD_LETTER -> {
                    // loop: wait for the dead letter to be retried or discarded
                }
                case FAILED -> {
                    pause(runner.renewInterval());
                    return;
                }
            }
        }
    }

    private enum Outcome { LEASE_LOST, SHUT_DOWN, STOPPED_ON_DEAD_LETTER, FAILED }

    private Outcome follow(Lease held) {
        if (projection.definition().selection().none()) {
            return holdOnly(held);
        }
        state = rebuild ? ProjectionState.REBUILDING : ProjectionState.CATCHING_UP;
        ProjectionOptions options = projection.options();
        try (Subscription subscription = runner.store().subscribeToAll(checkpoint,
                projection.definition().selection().filter(), options.batchSize(), events -> onBatch(held, events))) {
            long renewed = System.nanoTime();
            while (!stopped) {
                pause(STEP);
                if (!subscription.isRunning()) {
                    Throwable failure = subscription.failure().orElse(null);
                    if (failure instanceof LeaseLost) {
                        return Outcome.LEASE_LOST;
                    }
                    if (failure instanceof StoppedOnDeadLetter) {
                        return Outcome.STOPPED_ON_DEAD_LETTER;
                    }
                    if (stopped) {
                        return Outcome.SHUT_DOWN;
                    }
                    failed("the subscription stopped", failure);
                    return Outcome.FAILED;
                }
                if (subscription.isLive()) {
                    caughtUp = true;
                    state = rebuild ? ProjectionState.REBUILDING : ProjectionState.LIVE;
                }
                if (System.nanoTime() - renewed >= runner.renewInterval().toNanos() && !stuck()) {
                    if (!renew(held)) {
                        return Outcome.LEASE_LOST;
                    }
                    renewed = System.nanoTime();
                }
            }
            return Outcome.SHUT_DOWN;
        }
    }

    /** A partition that selects no events: renews its lease and reads nothing; its owner moves the checkpoint. */
    private Outcome holdOnly(Lease held) {
        caughtUp = true;
        state = ProjectionState.LIVE;
        while (true) {
            pause(runner.renewInterval());
            if (stopped) {
                return Outcome.SHUT_DOWN;
            }
            if (!renew(held)) {
                return Outcome.LEASE_LOST;
            }
        }
    }

    /** A handler that makes no progress for half a lease gives the partition up, as a frozen process would. */
    private boolean stuck() {
        return inBatch && System.nanoTime() - progressNanos > runner.lease().toNanos() / 2;
    }

    private boolean renew(Lease held) {
        try {
            return runner.inTransaction(tx -> runner.checkpoints().renew(tx.connection(), held, runner.owner(),
                    runner.lease().toMillis()));
        } catch (RuntimeException e) {
            failed("could not renew the lease", e);
            return true;
        }
    }

    private boolean holds(Lease held) {
        return runner.inTransaction(tx -> runner.checkpoints().holds(tx.connection(), held));
    }

    private void release(Lease held) {
        try {
            runner.inTransaction(tx -> {
                runner.checkpoints().release(tx.connection(), held);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("projection {} partition {}: could not release its lease; it expires", projection.name(), partition, e);
        }
    }

    private void onBatch(Lease held, List<RecordedEvent> events) {
        if (stopped) {
            throw new LeaseLost();
        }
        inBatch = true;
        progressNanos = System.nanoTime();
        try {
            var mine = new ArrayList<RecordedEvent>(events.size());
            for (RecordedEvent event : events) {
                if (Partitions.of(event.streamId(), projection.options().partitions()) == partition
                        && projection.definition().selection().matches(event)) {
                    mine.add(event);
                }
            }
            Position last = events.getLast().position();
            int applied;
            try {
                commit(held, mine, last);
                applied = mine.size();
            } catch (LeaseLost | EventStoreUnavailableException | EventStoreClosedException e) {
                // not the handler's fault: the subscription stops and the partition is claimed again
                throw e;
            } catch (RuntimeException e) {
                applied = oneByOne(held, mine, last);
            }
            if (!mine.isEmpty()) {
                counted(applied, mine.getLast());
            }
            checkpoint = last;
        } finally {
            inBatch = false;
        }
    }

    /** After a batch failed: each event in its own transaction, retried with back-off, parked after the last try. */
    private int oneByOne(Lease held, List<RecordedEvent> events, Position last) {
        ProjectionOptions options = projection.options();
        int applied = 0;
        for (RecordedEvent event : events) {
            for (int attempt = 1; ; attempt++) {
                try {
                    commit(held, List.of(event), event.position());
                    checkpoint = event.position();
                    applied++;
                    break;
                } catch (LeaseLost | EventStoreUnavailableException | EventStoreClosedException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // a runtime that lost its lease meets the successor's writes; that is no fault of the event
                    if (!holds(held)) {
                        throw new LeaseLost();
                    }
                    Throwable cause = ProjectionFailures.cause(e);
                    errors.incrementAndGet();
                    lastError = DeadLetterTable.describe(cause);
                    projection.metrics().error();
                    if (attempt >= options.attempts()) {
                        park(held, event, cause, attempt);
                        break;
                    }
                    pause(options.backoffBefore(attempt + 1));
                    progressNanos = System.nanoTime();
                }
            }
        }
        commit(held, List.of(), last);
        return applied;
    }

    private void park(Lease held, RecordedEvent event, Throwable cause, int attempts) {
        boolean stop = projection.options().onFailure() == OnFailure.STOP;
        Position fenceCheck = stop ? checkpoint : event.position();
        runner.inTransaction(tx -> {
            runner.deadLetters().park(tx.connection(), projection.name(), generation, partition, event, cause,
                    attempts, stop);
            if (!runner.checkpoints().advance(tx.connection(), held, fenceCheck)) {
                throw new LeaseLost();
            }
            return null;
        });
        LOG.warn("projection {} partition {}: parked event {} ({} at {}) after {} attempts: {}", projection.name(),
                partition, event.eventId(), event.type(), event.position(), attempts, lastError);
        projection.metrics().parked();
        if (stop) {
            state = ProjectionState.FAILED;
            throw new StoppedOnDeadLetter();
        }
        checkpoint = event.position();
    }

    private void commit(Lease held, List<RecordedEvent> events, Position to) {
        runner.inTransaction(tx -> {
            var model = new TableReadModel(tx, runner.dialect(), tables);
            if (events.size() == 1) {
                apply(events.getFirst(), model);
            } else if (!events.isEmpty()) {
                applyBatch(events, model);
            }
            if (!runner.checkpoints().advance(tx.connection(), held, to)) {
                throw new LeaseLost();
            }
            return null;
        });
        if (!events.isEmpty()) {
            runner.committed().accept(events);
        }
    }

    private void apply(RecordedEvent event, ReadModel model) throws SQLException {
        run(() -> projection.definition().apply(event, model));
    }

    private void applyBatch(List<RecordedEvent> events, ReadModel model) throws SQLException {
        run(() -> projection.definition().applyBatch(events, model));
    }

    private interface HandlerCall {
        void run() throws Exception;
    }

    private void run(HandlerCall call) throws SQLException {
        try {
            call.run();
            progressNanos = System.nanoTime();
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new HandlerFailed(e);
        }
    }

    private void counted(int applied, RecordedEvent last) {
        handled.addAndGet(applied);
        lastRecordedAt = last.recordedAt();
        projection.metrics().handled(applied);
    }

    private void failed(String what, Throwable error) {
        errors.incrementAndGet();
        lastError = error == null ? what : DeadLetterTable.describe(error);
        state = ProjectionState.FAILED;
        LOG.warn("projection {} partition {}: {}", projection.name(), partition, what, error);
    }

    /** Waits, waking early when the worker stops. */
    private void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while (!stopped && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, Math.min(left, STEP.toNanos()));
        }
    }
}
