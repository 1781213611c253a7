package io.annals.sagas.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.RecordedEvent;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.SerializationException;
import java.util.Objects;
import java.util.UUID;

/**
 * A message to the outside world (an email, a webhook, a command for another part of the
 * system). It is recorded as an event ({@value #RECORDED}) in the same append as the decision
 * that wants it sent, and an {@link OutboxRelay} delivers it: at least once, under its id, so
 * that the receiver can drop repeats.
 *
 * @param destination which {@link OutboxSender} delivers it
 * @param type        what kind of message it is, for the sender
 * @param payload     the message itself, usually JSON
 */
public record OutboxMessage(UUID messageId, String destination, String type, String payload) {

    public static final String RECORDED = "OutboxMessageRecorded";

    private static final ObjectMapper MAPPER = EventSerializer.defaultMapper();

    public OutboxMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (destination.isBlank() || type.isBlank()) {
            throw new IllegalArgumentException("an outbox message needs a destination and a type");
        }
    }

    /** The event that records this message: append it with the decision. */
    public EventData toEventData() {
        try {
            return new EventData(messageId, RECORDED, MAPPER.writeValueAsString(this), Metadata.EMPTY, null);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write outbox message " + messageId, e);
        }
    }

    public static OutboxMessage from(RecordedEvent event) {
        if (!event.type().equals(RECORDED)) {
            throw new IllegalArgumentException("event " + event.eventId() + " is a " + event.type() + ", not " + RECORDED);
        }
        try {
            return MAPPER.readValue(event.data(), OutboxMessage.class);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot read outbox message of event " + event.eventId(), e);
        }
    }
}
