package io.annals.server;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.DeleteMode;
import io.annals.store.EventBatchHandler;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import java.util.List;

/** A real store passed through unchanged; tests override the calls they watch or disturb. */
class ForwardingStore implements EventStore {

    private final EventStore delegate;

    ForwardingStore(EventStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        return delegate.append(streamId, expected, events);
    }

    @Override
    public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, ReadDirection direction, int limit) {
        return delegate.readStream(streamId, fromVersion, direction, limit);
    }

    @Override
    public StreamState streamState(StreamId streamId) {
        return delegate.streamState(streamId);
    }

    @Override
    public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
        return delegate.readAll(after, limit, filter);
    }

    @Override
    public Position headPosition() {
        return delegate.headPosition();
    }

    @Override
    public Subscription subscribeToAll(Position after, EventFilter filter, int maxBatch, EventBatchHandler handler) {
        return delegate.subscribeToAll(after, filter, maxBatch, handler);
    }

    @Override
    public Subscription subscribeToStream(StreamId streamId, long afterVersion, int maxBatch,
                                          EventBatchHandler handler) {
        return delegate.subscribeToStream(streamId, afterVersion, maxBatch, handler);
    }

    @Override
    public void delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode) {
        delegate.delete(streamId, expected, mode);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
