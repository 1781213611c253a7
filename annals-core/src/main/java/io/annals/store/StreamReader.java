package io.annals.store;

import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import java.util.List;

public interface StreamReader {

    /** Version to pass to a backward read to start at the stream's last event. */
    long END = Long.MAX_VALUE;

    /**
     * Reads up to {@code limit} events of one stream: forward from {@code fromVersion} inclusive in
     * ascending version order, or backward from it inclusive in descending order. A stream that
     * does not exist reads as empty.
     *
     * @throws StreamDeletedException when the stream was hard-deleted
     */
    List<RecordedEvent> readStream(StreamId streamId, long fromVersion, ReadDirection direction, int limit);

    default List<RecordedEvent> readStreamForward(StreamId streamId, long fromVersion, int limit) {
        return readStream(streamId, fromVersion, ReadDirection.FORWARD, limit);
    }

    StreamState streamState(StreamId streamId);
}
