package io.annals.sagas.outbox;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.projection.Projection;
import io.annals.projection.ProjectionRuntime;
import io.annals.projection.ProjectionState;
import io.annals.projection.ReadModel;
import io.annals.projection.Selection;
import io.annals.sagas.CheckpointStore;
import io.annals.sagas.RetryPolicy;
import io.annals.sagas.StreamCheckpointStore;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.Subscription;
import io.annals.store.jdbc.JdbcEventStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox messages recorded in the store, in the order they were recorded, each
 * through the sender of its destination. A failed delivery is tried again with back-off; one
 * that fails all its tries (or has no sender) is dead-lettered: recorded in the relay's stream
 * {@code outbox-<name>} with its error, and the relay goes on. The checkpoint is saved after
 * each message, so a crash between a delivery and its checkpoint delivers that message again
 * (at least once, under the same message id).
 *
 * <p>Several processes on one database run it {@linkplain Builder#leased leased}: the one holding
 * the relay's lease delivers, the others wait to take it over.
 */
public final class OutboxRelay implements AutoCloseable {

    public static final String DEAD_LETTERED = "OutboxMessageDeadLettered";
    /** The backlog is counted up to this many messages. */
    public static final int BACKLOG_CAP = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final EventSerializer JSON = new EventSerializer(new EventTypeRegistry());
    /** How often a leased relay looks whether it holds the lease, or lost it. */
    private static final Duration LEASE_CHECK = Duration.ofMillis(50);
    /** How long a leased relay waits before it follows the store again after a failure. */
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

    /** What the relay's stream records of a message it gave up on. */
    public record DeadLetter(OutboxMessage message, Position position, String error) {
    }

    private final EventStore store;
    private final String name;
    private final String streamPrefix;
    private final Map<String, OutboxSender> senders;
    private final RetryPolicy retry;
    private final CheckpointStore checkpoints;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong delivered = new AtomicLong();
    private final EventFilter filter;
    /** Set when the relay shares the outbox with relays of other processes: it delivers under its lease. */
    private final ProjectionRuntime leases;
    private volatile Subscription subscription;
    private volatile Thread leading;
    /** Why a leased relay's last subscription stopped, other than by losing the lease. */
    private volatile Throwable stopped;
    /** The last message delivered or dead-lettered, or where the relay started. */
    private volatile Position done = Position.START;

    private OutboxRelay(Builder builder) {
        this.store = builder.store;
        this.name = builder.name;
        this.streamPrefix = builder.streamPrefix;
        this.senders = Map.copyOf(builder.senders);
        this.retry = builder.retry;
        this.checkpoints = builder.checkpoints == null ? new StreamCheckpointStore(store) : builder.checkpoints;
        this.filter = new EventFilter(Set.of(OutboxMessage.RECORDED), streamPrefix);
        this.leases = builder.owner == null ? null : ProjectionRuntime.builder((JdbcEventStore) store)
                .owner(builder.owner).lease(builder.lease).build();
    }

    public static Builder builder(EventStore store, String name) {
        return new Builder(store, name);
    }

    /** Starts delivering from where the relay left off. */
    public OutboxRelay start() {
        if (leases != null) {
            leases.register(new LeaseOnly());
            leases.start();
            leading = Thread.ofVirtual().name("outbox-" + name).start(this::leadWhileHeld);
            return this;
        }
        Position from = checkpoints.load(checkpointName()).orElse(Position.START);
        done = from;
        subscription = store.subscribeToAll(from, filter, 1, events -> relay(events.getFirst()));
        return this;
    }

    public String name() {
        return name;
    }

    /** Messages delivered since this relay started. */
    public long delivered() {
        return delivered.get();
    }

    /**
     * Messages recorded and not yet delivered or dead-lettered (the one being delivered among
     * them), counted up to {@value #BACKLOG_CAP}: a read of the store, for a gauge.
     */
    public int backlog() {
        // a leased relay that does not hold the lease counts from where its holder got
        Position from = leases == null || leading() ? done : leases.checkpoint(checkpointName(), 0);
        return store.readAll(from, BACKLOG_CAP, filter).size();
    }

    /** Why the relay stopped, when the store failed it. */
    public Optional<Throwable> failure() {
        if (leases != null) {
            Optional<Throwable> lease = leases.localStatus(checkpointName(), 0)
                    .filter(status -> status.state() == ProjectionState.FAILED)
                    .map(status -> new IllegalStateException("outbox relay " + name + " cannot hold its lease: "
                            + status.lastError().orElse("failed")));
            return lease.or(() -> Optional.ofNullable(stopped));
        }
        return subscription == null ? Optional.empty() : subscription.failure();
    }

    /** Whether this relay delivers now: always when alone, else while it holds the lease. */
    public boolean leading() {
        return leases == null || leases.holds(checkpointName(), 0);
    }

    /** The messages this relay gave up on, oldest first. */
    public List<DeadLetter> deadLetters() {
        return store.readStreamForward(deadLetterStream(), 0, 10_000).stream()
                .map(event -> JSON.fromJson(event.data(), DeadLetter.class)).toList();
    }

    private void relay(RecordedEvent event) {
        OutboxMessage message = OutboxMessage.from(event);
        String error = deliver(message);
        if (error != null) {
            // the dead letter's id is the message's own: a second try after a crash writes it once
            try {
                store.append(deadLetterStream(), ExpectedVersion.any(), List.of(deadLetter(message, event, error)));
            } catch (DuplicateEventException alreadyRecorded) {
                LOG.debug("outbox {}: message {} was dead-lettered before", name, message.messageId());
            }
        }
        checkpoints.save(checkpointName(), event.position());
        done = event.position();
    }

    /**
     * While this relay holds the lease: follows the store from the checkpoint stored with the
     * lease, delivers each message, and records the dead letter (if any) and the checkpoint in one
     * transaction fenced by the lease; once it has lost the lease, it stops and waits again.
     */
    private void leadWhileHeld() {
        while (pause(LEASE_CHECK)) {
            if (!leading()) {
                continue;
            }
            Position from;
            try {
                from = leases.checkpoint(checkpointName(), 0);
                if (from.equals(Position.START)) {
                    // a relay that ran alone before keeps its place in the checkpoint store
                    from = checkpoints.load(checkpointName()).orElse(Position.START);
                }
            } catch (RuntimeException e) {
                stopped = e;
                pause(AFTER_FAILURE);
                continue;
            }
            done = from;
            try (Subscription following = store.subscribeToAll(from, filter, 1, events -> relayHeld(events.getFirst()))) {
                subscription = following;
                while (following.isRunning() && leading() && pause(LEASE_CHECK)) {
                    // delivering on the subscription's thread; once it has caught up, an earlier failure is over
                    if (following.isLive()) {
                        stopped = null;
                    }
                }
                Throwable failure = following.failure().orElse(null);
                if (failure != null && !(failure instanceof LeaseLost) && closed.getCount() > 0) {
                    LOG.warn("outbox {}: stopped delivering; starts again from its checkpoint", name, failure);
                    stopped = failure;
                    pause(AFTER_FAILURE);
                }
            }
        }
    }

    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("the outbox relay's lease went to another process", null, false, false);
        }
    }

    private void relayHeld(RecordedEvent event) {
        OutboxMessage message = OutboxMessage.from(event);
        String error = deliver(message);
        Optional<Boolean> recorded;
        try {
            recorded = leases.inLease(checkpointName(), 0, event.position(), tx -> {
                if (error != null) {
                    tx.append(deadLetterStream(), ExpectedVersion.any(), List.of(deadLetter(message, event, error)));
                }
                return true;
            });
        } catch (DuplicateEventException alreadyRecorded) {
            LOG.debug("outbox {}: message {} was dead-lettered before", name, message.messageId());
            recorded = leases.inLease(checkpointName(), 0, event.position(), tx -> true);
        }
        if (recorded.isEmpty()) {
            // the successor delivers this message again, from the checkpoint it finds
            throw new LeaseLost();
        }
        done = event.position();
    }

    private EventData deadLetter(OutboxMessage message, RecordedEvent event, String error) {
        return new EventData(message.messageId(), DEAD_LETTERED, JSON.toJson(new DeadLetter(message, event.position(), error)),
                null, null);
    }

    /** Delivers with retries; the error of the last try when it gave up, else null. */
    private String deliver(OutboxMessage message) {
        OutboxSender sender = senders.get(message.destination());
        String error = sender == null ? "no sender for destination " + message.destination() : null;
        for (int attempt = 1; sender != null; attempt++) {
            try {
                sender.send(message);
                delivered.incrementAndGet();
                error = null;
                break;
            } catch (Exception e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (!retry.allowsAfter(attempt)) {
                    break;
                }
                LOG.debug("outbox {}: message {} not delivered ({}), try {} of {}", name, message.messageId(), error,
                        attempt, retry.maxAttempts());
                if (!pause(retry.delayAfter(attempt))) {
                    throw new IllegalStateException("outbox relay " + name + " is closing");
                }
            }
        }
        if (error != null) {
            LOG.warn("outbox {}: gave up on message {}: {}", name, message.messageId(), error);
        }
        return error;
    }

    private boolean pause(Duration duration) {
        try {
            return !closed.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String checkpointName() {
        return "outbox." + name;
    }

    private StreamId deadLetterStream() {
        return StreamId.of("outbox-" + name);
    }

    /** Stops; a leased relay hands its lease over, so another process takes the outbox at once. */
    @Override
    public void close() {
        closed.countDown();
        if (leading != null) {
            try {
                leading.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (subscription != null) {
            subscription.close();
        }
        if (leases != null) {
            leases.close();
        }
    }

    /**
     * The relay's lease, as a projection of the projection runtime that selects no events
     * ({@link Selection#NONE}): its partition's row ({@code projection_checkpoints},
     * {@code outbox.<name>}) holds the lease and the relay's checkpoint, which the relay moves
     * itself once a message is delivered.
     */
    private final class LeaseOnly implements Projection {
        @Override
        public String name() {
            return checkpointName();
        }

        @Override
        public Selection selection() {
            return Selection.NONE;
        }

        @Override
        public void apply(RecordedEvent event, ReadModel model) {
            throw new IllegalStateException("the lease of outbox relay " + name + " selects no events");
        }
    }

    public static final class Builder {
        private final EventStore store;
        private final String name;
        private String streamPrefix = "";
        private final Map<String, OutboxSender> senders = new HashMap<>();
        private RetryPolicy retry = RetryPolicy.exponential(10, Duration.ofMillis(100), Duration.ofMinutes(1));
        private CheckpointStore checkpoints;
        private String owner;
        private Duration lease;

        private Builder(EventStore store, String name) {
            this.store = Objects.requireNonNull(store, "store");
            this.name = Objects.requireNonNull(name, "name");
            if (!StreamId.isValid("outbox-" + name)) {
                throw new IllegalArgumentException("relay name must be ASCII letters, digits and - _ . : @, got '" + name + "'");
            }
        }

        /** Delivers the messages of {@code destination} through {@code sender}. */
        public Builder sender(String destination, OutboxSender sender) {
            if (senders.putIfAbsent(Objects.requireNonNull(destination, "destination"), Objects.requireNonNull(sender, "sender")) != null) {
                throw new IllegalArgumentException("destination " + destination + " has two senders");
            }
            return this;
        }

        /** Relays only the messages recorded in streams whose id starts with {@code prefix}. */
        public Builder streamPrefix(String prefix) {
            this.streamPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        public Builder retry(RetryPolicy value) {
            this.retry = Objects.requireNonNull(value, "retry");
            return this;
        }

        public Builder checkpoints(CheckpointStore value) {
            this.checkpoints = Objects.requireNonNull(value, "checkpoints");
            return this;
        }

        /**
         * Shares the outbox with relays of other processes on the same database: the one that holds
         * the relay's lease (the projection runtime's, {@code projection_checkpoints} row
         * {@code outbox.<name>}) delivers, from the checkpoint kept in that row; when it closes the
         * next takes over at once, when it dies within about {@code lease * 1.25}. One that lost
         * the lease while delivering cannot move the checkpoint, so its successor delivers that
         * message again under the same id. The checkpoint store is only read, once, where the lease's
         * row has none: where a relay of the same name that ran alone got to.
         *
         * @param owner how this process is named among them; unique among the processes sharing the database
         * @param lease how long the outbox stays with a process that stops renewing it (200 ms to 1 hour)
         * @throws IllegalArgumentException when the store is not a database's (PostgreSQL or SQLite)
         */
        public Builder leased(String owner, Duration lease) {
            if (!(store instanceof JdbcEventStore)) {
                throw new IllegalArgumentException("a leased relay needs a PostgreSQL or SQLite store, got "
                        + store.getClass().getSimpleName());
            }
            this.owner = Objects.requireNonNull(owner, "owner");
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        public OutboxRelay build() {
            return new OutboxRelay(this);
        }
    }
}
