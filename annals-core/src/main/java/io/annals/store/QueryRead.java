package io.annals.store;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import java.util.List;
import java.util.Objects;

/**
 * A page of events matching a query, and how far the store looked.
 *
 * @param events    the matching events, in global order
 * @param scannedTo every matching event up to here is in {@code events} or an earlier page; read
 *                  on after it, or use it as an {@link AppendCondition}'s position
 */
public record QueryRead(List<RecordedEvent> events, Position scannedTo) {

    public QueryRead {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
        Objects.requireNonNull(scannedTo, "scannedTo");
    }
}
