package io.annals.server.http.streams;

import io.annals.event.EventData;
import io.annals.store.AppendCondition;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /api/streams/{id}}: the events, and the condition they are written under, if any.
 *
 * @param idsGiven whether the client named any event's id: only then can the append be a retry, which writes nothing
 */
public record AppendRequest(List<EventData> events, Optional<AppendCondition> condition, boolean idsGiven) {

    public AppendRequest {
        events = List.copyOf(events);
    }
}
