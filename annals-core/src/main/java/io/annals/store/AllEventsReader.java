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

    /**
     * The position of the last event that has joined the global order, as {@link #readAll}
     * sees it now; {@link Position#START} in an empty store. No event will ever be placed at or
     * before it that a read does not already see.
     */
    Position headPosition();

    /**
     * {@link #readAll}, and how far the store looked: a full page has looked up to its last
     * event; a shorter one up to the head of the log as the read began (or {@code after}, when
     * that is further). A reader that polls for rare events continues from
     * {@link QueryRead#scannedTo()} and does not read the same stretch of the log again.
     */
    default QueryRead readAllScanned(Position after, int limit, EventFilter filter) {
        // the head first: the read that follows sees at least every event up to it
        Position head = headPosition();
        List<RecordedEvent> events = readAll(after, limit, filter);
        if (events.size() == limit) {
            return new QueryRead(events, events.getLast().position());
        }
        Position scanned = events.isEmpty() ? after : events.getLast().position();
        return new QueryRead(events, head.compareTo(scanned) > 0 ? head : scanned);
    }
}
