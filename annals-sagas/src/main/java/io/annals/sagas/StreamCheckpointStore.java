package io.annals.sagas;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamReader;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checkpoints kept in the event store itself, each consumer's in a stream
 * {@code checkpoint-<consumer>} whose last event holds the position: no table to create, and
 * it works on every store. Each save adds an event.
 */
public final class StreamCheckpointStore implements CheckpointStore {

    static final String TYPE = "CheckpointSaved";

    private static final EventSerializer JSON = new EventSerializer(new EventTypeRegistry());

    private final EventStore store;

    public StreamCheckpointStore(EventStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Optional<Position> load(String consumer) {
        List<RecordedEvent> last = store.readStream(streamOf(consumer), StreamReader.END, ReadDirection.BACKWARD, 1);
        if (last.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Position.parse(JSON.toTree(last.getFirst().data()).path("position").asText()));
    }

    @Override
    public void save(String consumer, Position position) {
        store.append(streamOf(consumer), ExpectedVersion.any(),
                List.of(EventData.of(TYPE, "{\"position\":\"" + position + "\"}")));
    }

    static StreamId streamOf(String consumer) {
        String value = "checkpoint-" + Objects.requireNonNull(consumer, "consumer");
        if (!StreamId.isValid(value)) {
            throw new IllegalArgumentException("consumer name must be ASCII letters, digits and - _ . : @, got '" + consumer + "'");
        }
        return StreamId.of(value);
    }
}
