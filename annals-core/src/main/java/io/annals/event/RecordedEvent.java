package io.annals.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An event as the store keeps it.
 *
 * @param version    the event's place in its stream, from 0
 * @param position   the event's place in the global order of all events
 * @param recordedAt when the store committed it (processing time)
 * @param occurredAt when it happened in the domain (event time); time windows use this
 * @param tags       the labels it was appended with (see {@link Tag})
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
        Instant occurredAt,
        Set<Tag> tags) {

    public RecordedEvent {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(occurredAt, "occurredAt");
        tags = tags == null || tags.isEmpty() ? Set.of() : Tag.setOf(tags);
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
    }

    /** An event recorded without tags. */
    public RecordedEvent(StreamId streamId, long version, Position position, UUID eventId, String type, String data,
                         Metadata metadata, Instant recordedAt, Instant occurredAt) {
        this(streamId, version, position, eventId, type, data, metadata, recordedAt, occurredAt, Set.of());
    }
}
