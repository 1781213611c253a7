package io.annals.sagas.outbox;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
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
 */
public final class OutboxRelay implements AutoCloseable {

    public static final String DEAD_LETTERED = "OutboxMessageDeadLettered";
    /** The backlog is counted up to this many messages. */
    public static final int BACKLOG_CAP = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final EventSerializer JSON = new EventSerializer(new EventTypeRegistry());

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
    private volatile Subscription subscription;
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
    }

    public static Builder builder(EventStore store, String name) {
        return new Builder(store, name);
    }

    /** Starts delivering from where the relay left off. */
    public OutboxRelay start() {
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
        return store.readAll(done, BACKLOG_CAP, filter).size();
    }

    /** Why the relay stopped, when the store failed it. */
    public Optional<Throwable> failure() {
        return subscription == null ? Optional.empty() : subscription.failure();
    }

    /** The messages this relay gave up on, oldest first. */
    public List<DeadLetter> deadLetters() {
        return store.readStreamForward(deadLetterStream(), 0, 10_000).stream()
                .map(event -> JSON.fromJson(event.data(), DeadLetter.class)).toList();
    }

    private void relay(RecordedEvent event) {
        OutboxMessage message = OutboxMessage.from(event);
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
            // the dead letter's id is the message's own: a second try after a crash writes it once
            try {
                store.append(deadLetterStream(), ExpectedVersion.any(), List.of(new EventData(message.messageId(),
                        DEAD_LETTERED, JSON.toJson(new DeadLetter(message, event.position(), error)), null, null)));
            } catch (DuplicateEventException alreadyRecorded) {
                LOG.debug("outbox {}: message {} was dead-lettered before", name, message.messageId());
            }
        }
        checkpoints.save(checkpointName(), event.position());
        done = event.position();
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

    @Override
    public void close() {
        closed.countDown();
        if (subscription != null) {
            subscription.close();
        }
    }

    public static final class Builder {
        private final EventStore store;
        private final String name;
        private String streamPrefix = "";
        private final Map<String, OutboxSender> senders = new HashMap<>();
        private RetryPolicy retry = RetryPolicy.exponential(10, Duration.ofMillis(100), Duration.ofMinutes(1));
        private CheckpointStore checkpoints;

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

        public OutboxRelay build() {
            return new OutboxRelay(this);
        }
    }
}
