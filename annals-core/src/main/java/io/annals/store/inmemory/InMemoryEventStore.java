package io.annals.store.inmemory;

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
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamDeletedException;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import io.annals.store.WrongExpectedVersionException;
import io.annals.store.subscription.AppendSignal;
import io.annals.store.subscription.StoreSubscriptions;
import io.annals.store.subscription.SubscriptionReads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A complete, thread-safe event store in memory, for unit tests and test fixtures. It holds
 * every event until it is closed.
 */
public final class InMemoryEventStore implements EventStore {

    private static final int SUBSCRIPTION_BATCH = 256;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<RecordedEvent> all = new ArrayList<>();
    private final Map<StreamId, StreamLog> streams = new HashMap<>();
    private final AppendSignal appended = new AppendSignal();
    private final StoreSubscriptions subscriptions = new StoreSubscriptions("annals",
            SubscriptionReads.of(this, this::lastPosition), appended, SUBSCRIPTION_BATCH, Duration.ofSeconds(1));
    private final AppendLimits limits;
    private final Clock clock;

    public InMemoryEventStore() {
        this(AppendLimits.DEFAULT, Clock.systemUTC());
    }

    public InMemoryEventStore(AppendLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static final class StreamLog {
        final List<RecordedEvent> events = new ArrayList<>();
        final Map<UUID, RecordedEvent> byEventId = new HashMap<>();
        long deletedThrough = -1;
        boolean tombstoned;

        long lastVersion() {
            return events.isEmpty() ? -1 : events.getLast().version();
        }

        long visibleVersion() {
            long last = lastVersion();
            return last > deletedThrough ? last : -1;
        }
    }

    @Override
    public AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        AppendValidation.validate(streamId, expected, events, limits);
        lock.writeLock().lock();
        AppendResult result;
        try {
            StreamLog stream = streams.computeIfAbsent(streamId, id -> new StreamLog());
            if (stream.tombstoned) {
                throw new StreamDeletedException(streamId);
            }
            AppendResult earlier = earlierAppend(streamId, stream, events);
            if (earlier != null) {
                return earlier;
            }
            long visible = stream.visibleVersion();
            if (!expected.isSatisfiedBy(visible)) {
                throw new WrongExpectedVersionException(streamId, expected, visible);
            }
            Instant now = clock.instant();
            long version = stream.lastVersion();
            RecordedEvent last = null;
            for (EventData event : events) {
                last = new RecordedEvent(streamId, ++version, Position.of(all.size() + 1L), event.eventId(),
                        event.type(), event.data(), event.metadata(), now,
                        event.occurredAt() == null ? now : event.occurredAt());
                all.add(last);
                stream.events.add(last);
                stream.byEventId.put(last.eventId(), last);
            }
            result = new AppendResult(last.version(), last.position());
        } finally {
            lock.writeLock().unlock();
        }
        appended.signal();
        return result;
    }

    /** The result of the earlier append these events repeat, or null when they are new. */
    private static AppendResult earlierAppend(StreamId streamId, StreamLog stream, List<EventData> events) {
        RecordedEvent first = stream.byEventId.get(events.getFirst().eventId());
        if (first == null) {
            for (EventData event : events) {
                if (stream.byEventId.containsKey(event.eventId())) {
                    throw new DuplicateEventException(streamId, event.eventId());
                }
            }
            return null;
        }
        int start = (int) first.version();
        for (int i = 0; i < events.size(); i++) {
            int index = start + i;
            if (index >= stream.events.size() || !stream.events.get(index).eventId().equals(events.get(i).eventId())) {
                throw new DuplicateEventException(streamId, events.get(i).eventId());
            }
        }
        RecordedEvent last = stream.events.get(start + events.size() - 1);
        return new AppendResult(last.version(), last.position());
    }

    @Override
    public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, ReadDirection direction, int limit) {
        requirePositive(limit);
        lock.readLock().lock();
        try {
            StreamLog stream = streams.get(streamId);
            if (stream == null) {
                return List.of();
            }
            if (stream.tombstoned) {
                throw new StreamDeletedException(streamId);
            }
            var result = new ArrayList<RecordedEvent>(Math.min(limit, stream.events.size()));
            long firstVisible = stream.deletedThrough + 1;
            if (direction == ReadDirection.FORWARD) {
                for (long v = Math.max(fromVersion, firstVisible); v <= stream.lastVersion() && result.size() < limit; v++) {
                    result.add(stream.events.get((int) v));
                }
            } else {
                for (long v = Math.min(fromVersion, stream.lastVersion()); v >= firstVisible && result.size() < limit; v--) {
                    result.add(stream.events.get((int) v));
                }
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public StreamState streamState(StreamId streamId) {
        lock.readLock().lock();
        try {
            StreamLog stream = streams.get(streamId);
            if (stream == null) {
                return StreamState.absent();
            }
            if (stream.tombstoned) {
                return StreamState.tombstoned();
            }
            long visible = stream.visibleVersion();
            return visible < 0 ? StreamState.absent() : StreamState.active(visible);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
        requirePositive(limit);
        Objects.requireNonNull(filter, "filter");
        lock.readLock().lock();
        try {
            var result = new ArrayList<RecordedEvent>(Math.min(limit, 1024));
            // sequence n lives at index n - 1, so the first event after `after` is at index after.sequence
            for (int i = (int) Math.min(after.sequence(), all.size()); i < all.size() && result.size() < limit; i++) {
                RecordedEvent event = all.get(i);
                if (filter.matches(event)) {
                    result.add(event);
                }
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode) {
        lock.writeLock().lock();
        try {
            StreamLog stream = streams.computeIfAbsent(streamId, id -> new StreamLog());
            if (stream.tombstoned) {
                throw new StreamDeletedException(streamId);
            }
            long visible = stream.visibleVersion();
            if (!expected.isSatisfiedBy(visible)) {
                throw new WrongExpectedVersionException(streamId, expected, visible);
            }
            switch (mode) {
                case SOFT -> stream.deletedThrough = stream.lastVersion();
                case HARD -> stream.tombstoned = true;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Position lastPosition() {
        lock.readLock().lock();
        try {
            return Position.of(all.size());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Subscription subscribeToAll(Position after, EventFilter filter, int maxBatch, EventBatchHandler handler) {
        return subscriptions.toAll(after, filter, maxBatch, handler);
    }

    @Override
    public Subscription subscribeToStream(StreamId streamId, long afterVersion, int maxBatch,
                                          EventBatchHandler handler) {
        return subscriptions.toStream(streamId, afterVersion, maxBatch, handler);
    }

    @Override
    public void close() {
        subscriptions.close();
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
    }
}
