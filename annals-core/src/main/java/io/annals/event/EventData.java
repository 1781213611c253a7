package io.annals.event;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An event to append: what the domain says happened, before the store gives it a place.
 *
 * @param eventId    unique per stream; appending the same ids again is a retry and writes nothing
 * @param type       stable type name, see {@link io.annals.serialization.EventTypeRegistry}
 * @param data       the event's JSON document
 * @param metadata   correlation, causation and other non-domain facts
 * @param occurredAt when it happened in the domain (event time), or {@code null} to use the
 *                   time the store records it
 * @param tags       labels that let decisions find the event across streams (see {@link Tag})
 */
public record EventData(UUID eventId, String type, String data, Metadata metadata, Instant occurredAt, Set<Tag> tags) {

    public static final int MAX_TYPE_LENGTH = 200;

    public EventData {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        metadata = metadata == null ? Metadata.EMPTY : metadata;
        tags = tags == null || tags.isEmpty() ? Set.of() : Tag.setOf(tags);
        // characters, as JSON Schema's maxLength counts them: a character outside the BMP is one
        if (type.isBlank() || type.codePointCount(0, type.length()) > MAX_TYPE_LENGTH) {
            throw new IllegalArgumentException("event type must be 1 to " + MAX_TYPE_LENGTH + " non-blank characters");
        }
    }

    /** An event without tags. */
    public EventData(UUID eventId, String type, String data, Metadata metadata, Instant occurredAt) {
        this(eventId, type, data, metadata, occurredAt, Set.of());
    }

    public static EventData of(String type, String data) {
        return new EventData(EventIds.timeOrdered(), type, data, Metadata.EMPTY, null, Set.of());
    }

    public EventData withMetadata(Metadata newMetadata) {
        return new EventData(eventId, type, data, newMetadata, occurredAt, tags);
    }

    public EventData withEventId(UUID newEventId) {
        return new EventData(newEventId, type, data, metadata, occurredAt, tags);
    }

    public EventData withOccurredAt(Instant newOccurredAt) {
        return new EventData(eventId, type, data, metadata, newOccurredAt, tags);
    }

    public EventData withTags(Collection<Tag> newTags) {
        return new EventData(eventId, type, data, metadata, occurredAt, Set.copyOf(newTags));
    }

    public EventData withTags(Tag... newTags) {
        return withTags(List.of(newTags));
    }
}
