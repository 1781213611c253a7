package io.annals.store;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import java.util.List;

public interface AllEventsReader {

    /**
     * Reads up to {@code limit} events that match {@code filter}, strictly after {@code after}, in
     * global order. Pass the position of the last event seen to continue; a reader that does so
     * sees every committed event exactly once, whatever the order in which writers committed.
     */
    List<RecordedEvent> readAll(Position after, int limit, EventFilter filter);

    default List<RecordedEvent> readAll(Position after, int limit) {
        return readAll(after, limit, EventFilter.ALL);
    }
}
