package io.annals.store;

import io.annals.event.StreamId;

/** The stream was hard-deleted; it can never be read or written again. */
public final class StreamDeletedException extends EventStoreException {

    private final StreamId streamId;

    public StreamDeletedException(StreamId streamId) {
        super("stream " + streamId + " is deleted");
        this.streamId = streamId;
    }

    public StreamId streamId() {
        return streamId;
    }
}
