package io.annals.sagas.deadline;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A durable timer: recorded as an event ({@value #SCHEDULED}) in its owner's stream, in the same
 * append as the decision that set it; cancelled ({@value #CANCELLED}) or fired ({@value #FIRED})
 * by further events in that stream. Nothing about it lives only in memory.
 *
 * @param name        unique among the owner's pending deadlines
 * @param payloadType what the owner receives when it fires, and its JSON in {@code payload}
 */
public record Deadline(UUID deadlineId, String name, Instant dueAt, String payloadType, String payload) {

    public static final String SCHEDULED = "DeadlineScheduled";
    public static final String CANCELLED = "DeadlineCancelled";
    public static final String FIRED = "DeadlineFired";

    static final EventSerializer JSON = new EventSerializer(new EventTypeRegistry());

    public Deadline {
        Objects.requireNonNull(deadlineId, "deadlineId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(payload, "payload");
    }

    /** What a cancellation or a firing records: which deadline. */
    public record Ref(UUID deadlineId, String name) {
        public Ref {
            Objects.requireNonNull(deadlineId, "deadlineId");
            Objects.requireNonNull(name, "name");
        }

        public EventData cancelled(UUID eventId) {
            return new EventData(eventId, CANCELLED, JSON.toJson(this), Metadata.EMPTY, null);
        }

        public EventData fired(UUID eventId) {
            return new EventData(eventId, FIRED, JSON.toJson(this), Metadata.EMPTY, null);
        }
    }

    /** The event that records this deadline: append it with the decision that sets it. */
    public EventData scheduled() {
        return new EventData(deadlineId, SCHEDULED, JSON.toJson(this), Metadata.EMPTY, null);
    }

    public static Deadline fromScheduled(String data) {
        return JSON.fromJson(data, Deadline.class);
    }

    public static Ref refOf(String data) {
        return JSON.fromJson(data, Ref.class);
    }
}
