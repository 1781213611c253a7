package io.annals.store;

import io.annals.event.RecordedEvent;
import java.util.Objects;
import java.util.Set;

/**
 * Selects events when reading or subscribing to all events. An empty type set means every type;
 * an empty prefix means every stream. Stores evaluate filters server-side where they can.
 */
public record EventFilter(Set<String> eventTypes, String streamPrefix) {

    public static final EventFilter ALL = new EventFilter(Set.of(), "");

    public EventFilter {
        eventTypes = Set.copyOf(Objects.requireNonNull(eventTypes, "eventTypes"));
        streamPrefix = Objects.requireNonNull(streamPrefix, "streamPrefix");
    }

    public static EventFilter eventTypes(String... types) {
        return new EventFilter(Set.of(types), "");
    }

    public static EventFilter streamPrefix(String prefix) {
        return new EventFilter(Set.of(), prefix);
    }

    public EventFilter andStreamPrefix(String prefix) {
        return new EventFilter(eventTypes, prefix);
    }

    public boolean isAll() {
        return eventTypes.isEmpty() && streamPrefix.isEmpty();
    }

    public boolean matches(RecordedEvent event) {
        return (eventTypes.isEmpty() || eventTypes.contains(event.type()))
                && event.streamId().value().startsWith(streamPrefix);
    }
}
