package io.annals.store;

import io.annals.event.Position;
import io.annals.event.StreamId;

public interface EventSubscriptions {

    /**
     * Delivers every event after {@code after} that matches {@code filter}, first catching up from
     * the store, then live as events are appended, in global order, without gap or duplicate.
     * Events are delivered one at a time on a virtual thread owned by the subscription.
     */
    Subscription subscribeToAll(Position after, EventFilter filter, EventHandler handler);

    /** Delivers the events of one stream with a version above {@code afterVersion} (-1: from the start). */
    Subscription subscribeToStream(StreamId streamId, long afterVersion, EventHandler handler);
}
