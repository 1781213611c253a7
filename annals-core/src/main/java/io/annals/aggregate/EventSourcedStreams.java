package io.annals.aggregate;

import io.annals.event.EventData;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import io.annals.store.AppendResult;
import io.annals.store.EventStore;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reading a stream into objects and writing a decision back: what both repository styles share. */
final class EventSourcedStreams {

    private static final int PAGE = 512;
    private static final int UNAVAILABLE_RETRIES = 3;

    private final EventStore store;
    private final EventSerializer serializer;

    EventSourcedStreams(EventStore store, EventSerializer serializer) {
        this.store = store;
        this.serializer = serializer;
    }

    /** Feeds every event after {@code afterVersion} to {@code sink}; returns the last version read. */
    <E> long replay(StreamId streamId, long afterVersion, Class<E> eventType, Consumer<E> sink) {
        long version = afterVersion;
        while (true) {
            List<RecordedEvent> page = store.readStream(streamId, version + 1, ReadDirection.FORWARD, PAGE);
            for (RecordedEvent recorded : page) {
                sink.accept(eventType.cast(serializer.deserialize(recorded)));
                version = recorded.version();
            }
            if (page.size() < PAGE) {
                return version;
            }
        }
    }

    /**
     * Appends a decision. When the store is unreachable the outcome is unknown, so the same
     * events (same ids) are sent again: the store's idempotence turns a repeat into a no-op.
     */
    AppendResult append(StreamId streamId, long loadedVersion, List<?> events, CommandContext context) {
        var data = new ArrayList<EventData>(events.size());
        for (int i = 0; i < events.size(); i++) {
            data.add(serializer.serialize(events.get(i), context.eventMetadata()).withEventId(context.eventId(i)));
        }
        ExpectedVersion expected = ExpectedVersion.after(loadedVersion);
        for (int attempt = 1; ; attempt++) {
            try {
                return store.append(streamId, expected, data);
            } catch (EventStoreUnavailableException e) {
                if (attempt >= UNAVAILABLE_RETRIES) {
                    throw e;
                }
            }
        }
    }
}
