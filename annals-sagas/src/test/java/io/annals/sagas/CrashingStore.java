package io.annals.sagas;

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

/** A store that passes a crash point just before and just after each append, for {@link SagaCrashRun}. */
final class CrashingStore implements EventStore {

    private final EventStore store;
    private final Runnable crashPoint;

    CrashingStore(EventStore store, Runnable crashPoint) {
        this.store = store;
        this.crashPoint = crashPoint;
    }

    @Override
    public AppendResult append(StreamId streamId, ExpectedVersion expected, List<EventData> events) {
        crashPoint.run();
        AppendResult result = store.append(streamId, expected, events);
        crashPoint.run();
        return result;
    }

    @Override
    public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, ReadDirection direction, int limit) {
        return store.readStream(streamId, fromVersion, direction, limit);
    }

    @Override
    public StreamState streamState(StreamId streamId) {
        return store.streamState(streamId);
    }

    @Override
    public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
        return store.readAll(after, limit, filter);
    }

    @Override
    public Position headPosition() {
        return store.headPosition();
    }

    @Override
    public Subscription subscribeToAll(Position after, EventFilter filter, int maxBatch, EventBatchHandler handler) {
        return store.subscribeToAll(after, filter, maxBatch, handler);
    }

    @Override
    public Subscription subscribeToStream(StreamId streamId, long afterVersion, int maxBatch, EventBatchHandler handler) {
        return store.subscribeToStream(streamId, afterVersion, maxBatch, handler);
    }

    @Override
    public void delete(StreamId streamId, ExpectedVersion expected, DeleteMode mode) {
        store.delete(streamId, expected, mode);
    }

    @Override
    public void close() {
        store.close();
    }
}
