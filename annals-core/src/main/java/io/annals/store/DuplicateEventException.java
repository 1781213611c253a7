package io.annals.store;

import io.annals.event.StreamId;
import java.util.UUID;

/**
 * An event id of the append is already in the stream, but not as an exact repeat of an earlier
 * append (which would be an idempotent retry and succeed): the id belongs to another append, or
 * the stored event under that id has another type or data. Nothing was written.
 * {@link #eventId()} is the stored id.
 */
public final class DuplicateEventException extends EventStoreException {

    private final StreamId streamId;
    private final UUID eventId;

    /** {@code eventId}, stored in {@code streamId}, was sent again in a different append. */
    public DuplicateEventException(StreamId streamId, UUID eventId) {
        this(streamId, eventId, "stream " + streamId + " already holds event " + eventId
                + " from a different append; reuse event ids only to retry the exact same append");
    }

    private DuplicateEventException(StreamId streamId, UUID eventId, String message) {
        super(message);
        this.streamId = streamId;
        this.eventId = eventId;
    }

    /** {@code eventId}, stored in {@code streamId}, was sent again with another type or data. */
    public static DuplicateEventException differentEvent(StreamId streamId, UUID eventId) {
        return new DuplicateEventException(streamId, eventId, "stream " + streamId + " already holds event "
                + eventId + " with a different type or data; an event id sent again is a retry only with the"
                + " same event, so give a new event a new id");
    }

    public StreamId streamId() {
        return streamId;
    }

    public UUID eventId() {
        return eventId;
    }
}
