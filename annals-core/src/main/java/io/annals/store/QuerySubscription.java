package io.annals.store;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A subscription to all events narrowed to a query: the store filters by event type where every
 * item names types, and the rest of the query (tags, items without types) is checked here.
 * Order, catch-up and the hand-over to live delivery are the store's own.
 */
final class QuerySubscription implements Subscription {

    private final EventQuery query;
    private final EventBatchHandler handler;
    private volatile Position position;
    private volatile Subscription all;

    private QuerySubscription(EventQuery query, Position after, EventBatchHandler handler) {
        this.query = query;
        this.position = after;
        this.handler = handler;
    }

    static Subscription open(EventSubscriptions store, EventQuery query, Position after, int maxBatch,
                             EventBatchHandler handler) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(handler, "handler");
        var subscription = new QuerySubscription(query, after, handler);
        subscription.all = store.subscribeToAll(after, typesOf(query), maxBatch, subscription::deliver);
        return subscription;
    }

    /** The types every matching event has one of, or every type when an item names none. */
    static EventFilter typesOf(EventQuery query) {
        var types = new HashSet<String>();
        for (QueryItem item : query.items()) {
            if (item.types().isEmpty()) {
                return EventFilter.ALL;
            }
            types.addAll(item.types());
        }
        return new EventFilter(types, "");
    }

    private void deliver(List<RecordedEvent> events) throws Exception {
        List<RecordedEvent> matching = events;
        for (int i = 0; i < events.size(); i++) {
            if (!query.matches(events.get(i))) {
                matching = only(events, i);
                break;
            }
        }
        if (!matching.isEmpty()) {
            handler.handle(matching);
            position = matching.getLast().position();
        }
    }

    /** The matching events of {@code events}, whose first mismatch is at {@code firstMismatch}. */
    private List<RecordedEvent> only(List<RecordedEvent> events, int firstMismatch) {
        var matching = new ArrayList<RecordedEvent>(events.subList(0, firstMismatch));
        for (int i = firstMismatch + 1; i < events.size(); i++) {
            if (query.matches(events.get(i))) {
                matching.add(events.get(i));
            }
        }
        return Collections.unmodifiableList(matching);
    }

    @Override
    public Position position() {
        return position;
    }

    @Override
    public boolean isLive() {
        return all.isLive();
    }

    @Override
    public boolean isRunning() {
        return all.isRunning();
    }

    @Override
    public Optional<Throwable> failure() {
        return all.failure();
    }

    @Override
    public void close() {
        all.close();
    }
}
