package io.annals.store;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import java.util.List;

public interface StreamAppender {

    /**
     * Appends events to one stream, atomically: all are written or none.
     *
     * <p>Appending event ids that the stream already holds, in the same order as one earlier
     * append and with the same types and data, is a retry: it writes nothing and returns that
     * append's result. Every store decides in this order: a hard-deleted stream; a retry (the
     * stream holds the first event id); an event id the stream holds; the expected version.
     *
     * @throws WrongExpectedVersionException when {@code expected} does not hold
     * @throws StreamDeletedException        when the stream was hard-deleted
     * @throws InvalidAppendException        when the events are empty, too large or malformed
     * @throws DuplicateEventException       when an event id is already in the stream from another append,
     *                                       or with another type or data; it names the stored id
     * @throws EventStoreUnavailableException when the store cannot be reached; retry with the same ids
     */
    AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events);
}
