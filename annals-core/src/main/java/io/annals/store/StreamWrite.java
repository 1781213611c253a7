package io.annals.store;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import java.util.List;
import java.util.Objects;

/** One stream's part of an {@link Append}: what the writer expects of the stream and the events to add. */
public record StreamWrite(StreamId streamId, ExpectedVersion expected, List<EventData> events) {

    public StreamWrite {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(expected, "expected");
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }
}
