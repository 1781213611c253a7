package io.annals.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.aggregate.Decider;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.serialization.EventSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the node shows the state of a stream at each of its versions (the dashboard's time
 * travel): a module that keeps the streams of a category as a {@link Decider} registers it here,
 * and inspection then folds those streams with the decider's own {@code evolve}, as the module
 * itself does, instead of guessing a state from the events' JSON. One instance per node, shared
 * by every module ({@link NodeContext#streamStates()}).
 */
public final class StreamStates {

    /** The states of one stream, folded by a registered decider. */
    public interface Fold {

        /** What folds: the decider's class name. */
        String name();

        /**
         * The state after each of {@code events} (a stream's events from version 0, in order), as
         * JSON. Throws {@link IllegalArgumentException} naming the version when an event cannot be
         * read as one of the decider's events.
         */
        List<JsonNode> states(List<RecordedEvent> events);
    }

    private final Map<String, Fold> byCategory = new ConcurrentHashMap<>();

    /**
     * Folds the streams of {@code category} (the part of a stream id before its first {@code -})
     * with {@code decider}; {@code serializer} reads the recorded events as {@code eventType} and
     * writes each state as JSON. A category registered twice fails.
     */
    public <S, E> void register(String category, Decider<?, S, E> decider, Class<E> eventType, EventSerializer serializer) {
        Objects.requireNonNull(decider, "decider");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(serializer, "serializer");
        Fold fold = new Fold() {
            @Override
            public String name() {
                return decider.getClass().getName();
            }

            @Override
            public List<JsonNode> states(List<RecordedEvent> events) {
                S state = decider.initialState();
                var states = new ArrayList<JsonNode>(events.size());
                for (RecordedEvent event : events) {
                    Object read;
                    try {
                        read = serializer.deserialize(event);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("version " + event.version() + " (" + event.type()
                                + ") is not an event of " + name() + ": " + e.getMessage(), e);
                    }
                    if (!eventType.isInstance(read)) {
                        throw new IllegalArgumentException("version " + event.version() + " (" + event.type()
                                + ") is not an event of " + name());
                    }
                    state = decider.evolve(state, eventType.cast(read));
                    states.add(serializer.mapper().valueToTree(state));
                }
                return states;
            }
        };
        if (byCategory.putIfAbsent(Objects.requireNonNull(category, "category"), fold) != null) {
            throw new IllegalStateException("the streams of category " + category + " already have a fold");
        }
    }

    /** The fold registered for the stream's category, if any. */
    public Optional<Fold> forStream(StreamId streamId) {
        return Optional.ofNullable(byCategory.get(streamId.category()));
    }
}
