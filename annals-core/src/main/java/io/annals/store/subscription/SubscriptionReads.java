package io.annals.store.subscription;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.AllEventsReader;
import io.annals.store.EventFilter;
import io.annals.store.ReadDirection;
import io.annals.store.StreamReader;
import java.util.List;
import java.util.function.Supplier;

/**
 * The reads a store's subscriptions make. None of them waits: the subscriptions wait in one
 * place of their own (see {@link StoreSubscriptions}). A read that fails with
 * {@link io.annals.store.EventStoreUnavailableException} is retried later from the same place.
 */
public interface SubscriptionReads {

    /** As {@link AllEventsReader#readAll}, without waiting for anything. */
    List<RecordedEvent> readAll(Position after, int limit, EventFilter filter);

    /** As {@link StreamReader#readStream} forward. */
    List<RecordedEvent> readStream(StreamId streamId, long fromVersion, int limit);

    /** The position of the last event a reader of all events can see now; {@link Position#START} when none. */
    Position lastPosition();

    /**
     * Whether events after {@code position} are known to be committed but cannot be read yet, so
     * that they will show without any further wake-up (PostgreSQL: held back behind an older open
     * transaction). The shared reader then looks again after short pauses instead of waiting for
     * the next append.
     */
    default boolean heldBackAfter(Position position) {
        return false;
    }

    /** The reads of a store whose {@code readAll} never waits. */
    static <S extends AllEventsReader & StreamReader> SubscriptionReads of(S store, Supplier<Position> lastPosition) {
        return new SubscriptionReads() {
            @Override
            public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
                return store.readAll(after, limit, filter);
            }

            @Override
            public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, int limit) {
                return store.readStream(streamId, fromVersion, ReadDirection.FORWARD, limit);
            }

            @Override
            public Position lastPosition() {
                return lastPosition.get();
            }
        };
    }
}
