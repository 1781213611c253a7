package io.annals.server.http.streams;

import io.annals.event.EventData;
import io.annals.store.AppendCondition;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /api/streams/{id}}: the events, and the condition they are written under, if any.
 */
public record AppendRequest(List<EventData> events, Optional<AppendCondition> condition) {

    public AppendRequest {
        events = List.copyOf(events);
    }
}
