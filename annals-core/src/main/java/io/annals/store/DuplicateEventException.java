package io.annals.store;

import io.annals.event.StreamId;
import java.util.UUID;

/**
 * An event id of the append is already in the stream, but not as an exact repeat of an earlier
 * append (which would be an idempotent retry and succeed). Nothing was written.
 */
public final class DuplicateEventException extends EventStoreException {

    private final StreamId streamId;
    private final UUID eventId;

    public DuplicateEventException(StreamId streamId, UUID eventId) {
        super("stream " + streamId + " already holds event " + eventId
                + " from a different append; reuse event ids only to retry the exact same append");
        this.streamId = streamId;
        this.eventId = eventId;
    }

    public StreamId streamId() {
        return streamId;
    }

    public UUID eventId() {
        return eventId;
    }
}
