package io.annals.store.postgres;

import io.annals.event.RecordedEvent;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.subscription.EventCursor;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a subscription alive through a database outage: a read that fails as unavailable counts
 * as "nothing new yet", so the subscription waits for the next wake-up (the listener signals on
 * every reconnect attempt, and polling continues) and reads again from the same position.
 */
final class RetryingCursor implements EventCursor {

    private static final Logger log = LoggerFactory.getLogger(RetryingCursor.class);

    private final EventCursor cursor;
    private final String name;
    private boolean failing;

    RetryingCursor(EventCursor cursor, String name) {
        this.cursor = cursor;
        this.name = name;
    }

    @Override
    public List<RecordedEvent> next(int limit) {
        try {
            List<RecordedEvent> batch = cursor.next(limit);
            if (failing) {
                log.info("subscription {} reads again", name);
                failing = false;
            }
            return batch;
        } catch (EventStoreUnavailableException e) {
            if (!failing) {
                log.warn("subscription {} cannot read, retrying from the same position: {}", name, e.getMessage());
                failing = true;
            }
            return List.of();
        }
    }
}
