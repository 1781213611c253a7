package io.annals.store;

import io.annals.event.Position;
import io.annals.event.StreamId;
import java.util.Objects;

/**
 * Subscriptions: every matching event after a starting point, first caught up from the store,
 * then live as events are appended, in order, without gap or duplicate. Each subscription runs
 * its handler on a virtual thread of its own; a slow handler delays only its own subscription.
 */
public interface EventSubscriptions {

    /** The largest batch a subscription may ask for. */
    int MAX_BATCH = 10_000;

    /**
     * Delivers every event after {@code after} that matches {@code filter}, in global order, in
     * batches of 1 to {@code maxBatch} events.
     *
     * @throws IllegalArgumentException when {@code maxBatch} is not between 1 and {@link #MAX_BATCH}
     */
    Subscription subscribeToAll(Position after, EventFilter filter, int maxBatch, EventBatchHandler handler);

    /**
     * Delivers the events of one stream with a version above {@code afterVersion} (-1: from the
     * start), in version order, in batches of 1 to {@code maxBatch} events.
     *
     * @throws IllegalArgumentException when {@code maxBatch} is not between 1 and {@link #MAX_BATCH}
     */
    Subscription subscribeToStream(StreamId streamId, long afterVersion, int maxBatch, EventBatchHandler handler);

    /** Delivers every event after {@code after} that matches {@code filter}, one at a time, in global order. */
    default Subscription subscribeToAll(Position after, EventFilter filter, EventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return subscribeToAll(after, filter, 1, events -> handler.handle(events.getFirst()));
    }

    /** Delivers the events of one stream with a version above {@code afterVersion}, one at a time. */
    default Subscription subscribeToStream(StreamId streamId, long afterVersion, EventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return subscribeToStream(streamId, afterVersion, 1, events -> handler.handle(events.getFirst()));
    }
}
