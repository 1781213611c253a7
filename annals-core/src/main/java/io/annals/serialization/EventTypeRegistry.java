package io.annals.serialization;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps event classes to stable type names and back. Register records one by one, or a sealed
 * interface to register every record it permits (recursively).
 */
public final class EventTypeRegistry {

    /** A registered event class with its stored name and current schema revision. */
    public record EventType(Class<?> javaType, String name, int revision) {
    }

    private final Map<Class<?>, EventType> byClass = new HashMap<>();
    private final Map<String, EventType> byName = new HashMap<>();

    public EventTypeRegistry register(Class<?> eventClass) {
        EventTypeName annotation = eventClass.getAnnotation(EventTypeName.class);
        return annotation == null
                ? register(eventClass, eventClass.getSimpleName(), 1)
                : register(eventClass, annotation.value(), annotation.revision());
    }

    public EventTypeRegistry register(Class<?> eventClass, String name, int revision) {
        Objects.requireNonNull(eventClass, "eventClass");
        Objects.requireNonNull(name, "name");
        if (eventClass.isInterface() || eventClass.isSealed()) {
            throw new IllegalArgumentException(eventClass.getName() + " is not a concrete event class; use registerSealed");
        }
        var type = new EventType(eventClass, name, revision);
        EventType previous = byName.get(name);
        if (previous != null && previous.javaType() != eventClass) {
            throw new IllegalArgumentException("type name " + name + " is taken by " + previous.javaType().getName());
        }
        byClass.put(eventClass, type);
        byName.put(name, type);
        return this;
    }

    /** Registers every concrete class a sealed interface or class permits, following nested sealed types. */
    public EventTypeRegistry registerSealed(Class<?> sealedType) {
        if (!sealedType.isSealed()) {
            throw new IllegalArgumentException(sealedType.getName() + " is not sealed");
        }
        for (Class<?> permitted : sealedType.getPermittedSubclasses()) {
            if (permitted.isSealed()) {
                registerSealed(permitted);
            } else {
                register(permitted);
            }
        }
        return this;
    }

    public EventType forClass(Class<?> eventClass) {
        EventType type = byClass.get(eventClass);
        if (type == null) {
            throw new IllegalArgumentException("event class " + eventClass.getName() + " is not registered");
        }
        return type;
    }

    public Optional<EventType> forName(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
