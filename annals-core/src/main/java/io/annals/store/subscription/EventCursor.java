package io.annals.store.subscription;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.AllEventsReader;
import io.annals.store.EventFilter;
import io.annals.store.ReadDirection;
import io.annals.store.StreamReader;
import java.util.List;

/** Reads the next batch of a subscription and remembers where it got to. */
public interface EventCursor {

    List<RecordedEvent> next(int limit);

    static EventCursor overAll(AllEventsReader reader, Position after, EventFilter filter) {
        return new EventCursor() {
            private Position position = after;

            @Override
            public List<RecordedEvent> next(int limit) {
                List<RecordedEvent> batch = reader.readAll(position, limit, filter);
                if (!batch.isEmpty()) {
                    position = batch.getLast().position();
                }
                return batch;
            }
        };
    }

    static EventCursor overStream(StreamReader reader, StreamId streamId, long afterVersion) {
        return new EventCursor() {
            private long version = afterVersion;

            @Override
            public List<RecordedEvent> next(int limit) {
                List<RecordedEvent> batch = reader.readStream(streamId, version + 1, ReadDirection.FORWARD, limit);
                if (!batch.isEmpty()) {
                    version = batch.getLast().version();
                }
                return batch;
            }
        };
    }
}
