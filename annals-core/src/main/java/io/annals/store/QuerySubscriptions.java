package io.annals.store;

import io.annals.event.Position;
import java.util.Objects;

/**
 * Subscriptions by {@link EventQuery}: every event after a starting point that matches the
 * query, first caught up from the store, then live, in global order, without gap or duplicate.
 * Built on {@link #subscribeToAll}, so it keeps every promise of a subscription to all events.
 */
public interface QuerySubscriptions extends EventSubscriptions {

    /**
     * Delivers every event after {@code after} that matches {@code query}, in global order, in
     * batches of 1 to {@code maxBatch} events. {@link Subscription#position()} is the position of
     * the last matching event handled.
     *
     * @throws IllegalArgumentException when {@code maxBatch} is not between 1 and {@link #MAX_BATCH}
     */
    default Subscription subscribeToQuery(EventQuery query, Position after, int maxBatch, EventBatchHandler handler) {
        return QuerySubscription.open(this, query, after, maxBatch, handler);
    }

    /** Delivers every event after {@code after} that matches {@code query}, one at a time, in global order. */
    default Subscription subscribeToQuery(EventQuery query, Position after, EventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return subscribeToQuery(query, after, 1, events -> handler.handle(events.getFirst()));
    }
}
