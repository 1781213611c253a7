package io.annals.store;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import java.util.List;

public interface AllEventsReader {

    /**
     * Reads up to {@code limit} events that match {@code filter}, strictly after {@code after}, in
     * global order. Pass the position of the last event seen to continue; a reader that does so
     * sees every committed event exactly once, whatever the order in which writers committed.
     *
     * <p>An event joins the global order when no event can ever be placed before it any more.
     * Single-writer stores (in-memory, SQLite) publish it when its append returns; PostgreSQL
     * publishes it once every transaction older than its own has ended, usually within
     * milliseconds, later while some transaction stays open (see ADR 0003). Stream reads are
     * not delayed: a writer always reads its own stream's writes.
     */
    List<RecordedEvent> readAll(Position after, int limit, EventFilter filter);

    default List<RecordedEvent> readAll(Position after, int limit) {
        return readAll(after, limit, EventFilter.ALL);
    }
}
