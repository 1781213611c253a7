package io.annals.serialization;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** An event's stored shape: type name, schema revision and JSON data, as upcasters see it. */
public record SerializedEvent(String type, int revision, JsonNode data) {

    public SerializedEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be at least 1");
        }
    }
}
