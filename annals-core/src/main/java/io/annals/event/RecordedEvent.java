package io.annals.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as the store keeps it.
 *
 * @param version    the event's place in its stream, from 0
 * @param position   the event's place in the global order of all events
 * @param recordedAt when the store committed it (processing time)
 * @param occurredAt when it happened in the domain (event time); time windows use this
 */
public record RecordedEvent(
        StreamId streamId,
        long version,
        Position position,
        UUID eventId,
        String type,
        String data,
        Metadata metadata,
        Instant recordedAt,
        Instant occurredAt) {

    public RecordedEvent {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
    }
}
