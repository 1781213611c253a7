package io.annals.aggregate;

import io.annals.event.EventData;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import io.annals.store.Append;
import io.annals.store.AppendResult;
import io.annals.store.EventStore;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Reading a stream into objects and writing a decision back: what every repository style shares. */
final class EventSourcedStreams {

    private static final int PAGE = 512;
    private static final int UNAVAILABLE_RETRIES = 3;

    private final EventStore store;
    private final EventSerializer serializer;

    EventSourcedStreams(EventStore store, EventSerializer serializer) {
        this.store = store;
        this.serializer = serializer;
    }

    EventStore store() {
        return store;
    }

    EventSerializer serializer() {
        return serializer;
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

    /** The {@code count} events of a stream from {@code fromVersion} on, as objects. */
    List<Object> read(StreamId streamId, long fromVersion, int count) {
        var events = new ArrayList<Object>(count);
        long next = fromVersion;
        while (events.size() < count) {
            List<RecordedEvent> page = store.readStream(streamId, next, ReadDirection.FORWARD, Math.min(PAGE, count - events.size()));
            if (page.isEmpty()) {
                throw new IllegalStateException("stream " + streamId + " no longer holds the events of a recorded command");
            }
            for (RecordedEvent recorded : page) {
                events.add(serializer.deserialize(recorded));
                next = recorded.version() + 1;
            }
        }
        return events;
    }

    /**
     * A decision's events as they are stored: the command's metadata, and ids derived from the
     * command id ({@code firstIndex} on), so that storing the same decision again is a retry.
     */
    List<EventData> eventData(List<?> events, CommandContext context, int firstIndex) {
        var data = new ArrayList<EventData>(events.size());
        for (int i = 0; i < events.size(); i++) {
            data.add(serializer.serialize(context.eventId(firstIndex + i), events.get(i), context.eventMetadata(), null));
        }
        return data;
    }

    /** The append of a per-stream decision: the events after the version the decision was made on. */
    Append appendOf(StreamId streamId, long loadedVersion, List<?> events, CommandContext context) {
        return Append.to(streamId, ExpectedVersion.after(loadedVersion), eventData(events, context, 0));
    }

    /** Appends a per-stream decision. */
    AppendResult append(StreamId streamId, long loadedVersion, List<?> events, CommandContext context) {
        List<EventData> data = eventData(events, context, 0);
        ExpectedVersion expected = ExpectedVersion.after(loadedVersion);
        return retryingUnavailable(() -> store.append(streamId, expected, data));
    }

    /**
     * Runs a write. When the store is unreachable the outcome is unknown, so the same write
     * (same event ids) is sent again: the store's idempotence turns a repeat into a no-op.
     */
    static <T> T retryingUnavailable(Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (EventStoreUnavailableException e) {
                if (attempt >= UNAVAILABLE_RETRIES) {
                    throw e;
                }
            }
        }
    }
}
