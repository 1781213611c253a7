package io.annals.event;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * String key-value pairs that travel with an event but are not part of its domain data.
 *
 * <p>Two keys are well known: {@value #CORRELATION_ID} ties together everything one user request
 * caused, and {@value #CAUSATION_ID} names the command or event that directly caused this one.
 */
public record Metadata(Map<String, String> values) {

    public static final String CORRELATION_ID = "correlationId";
    public static final String CAUSATION_ID = "causationId";
    /** Schema revision of the event's data, written by the serializer when above 1. */
    public static final String SCHEMA_REVISION = "schemaRevision";

    public static final Metadata EMPTY = new Metadata(Map.of());

    public Metadata {
        Objects.requireNonNull(values, "values");
        var copy = new TreeMap<String, String>();
        values.forEach((key, value) -> copy.put(
                Objects.requireNonNull(key, "metadata key"),
                Objects.requireNonNull(value, () -> "metadata value of " + key)));
        values = java.util.Collections.unmodifiableMap(copy);
    }

    public static Metadata of(String key, String value) {
        return new Metadata(Map.of(key, value));
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Optional<String> correlationId() {
        return get(CORRELATION_ID);
    }

    public Optional<String> causationId() {
        return get(CAUSATION_ID);
    }

    public Metadata with(String key, String value) {
        var copy = new TreeMap<>(values);
        copy.put(key, value);
        return new Metadata(copy);
    }

    public Metadata withAll(Metadata other) {
        var copy = new TreeMap<>(values);
        copy.putAll(other.values);
        return new Metadata(copy);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
