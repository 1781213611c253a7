package io.annals.aggregate;

import io.annals.event.EventIds;
import io.annals.event.Metadata;
import io.annals.event.RecordedEvent;
import java.util.Objects;
import java.util.UUID;

/**
 * Where a command comes from. Every event the command causes carries the context's correlation
 * id (the command id itself for a command that starts a conversation) and, as causation id, the
 * event that caused the command when there is one ({@link #causedBy}), else the command id.
 * Event ids are derived from the command id, so that storing the same decision twice (a retry
 * after a lost answer) writes it once.
 *
 * @param metadata   copied onto every event the command causes; a {@link Metadata#CAUSATION_ID}
 *                   in it names the causing event
 * @param repeatable whether the command id can come again (a client's retry, a redelivered
 *                   event): only then is the command's first outcome recorded (ADR 0009); false
 *                   for an id made up for one dispatch, which nobody can repeat
 */
public record CommandContext(UUID commandId, String correlationId, Metadata metadata, boolean repeatable) {

    public CommandContext {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(correlationId, "correlationId");
        metadata = metadata == null ? Metadata.EMPTY : metadata;
    }

    /** A command under an id of the caller's, which it may send again. */
    public CommandContext(UUID commandId, String correlationId, Metadata metadata) {
        this(commandId, correlationId, metadata, true);
    }

    /** A command that starts a new conversation: it is its own correlation. Hold on to it to send the command again. */
    public static CommandContext newCommand() {
        UUID id = EventIds.timeOrdered();
        return new CommandContext(id, id.toString(), Metadata.EMPTY);
    }

    /**
     * As {@link #newCommand()}, for a command handled right away under an id nobody else is
     * given ({@code dispatch(command)}): it cannot come again, so it leaves no record.
     */
    public static CommandContext newUnrepeatableCommand() {
        UUID id = EventIds.timeOrdered();
        return new CommandContext(id, id.toString(), Metadata.EMPTY, false);
    }

    public static CommandContext of(UUID commandId, String correlationId) {
        return new CommandContext(commandId, correlationId, Metadata.EMPTY);
    }

    /** A command issued in reaction to an event (by a saga or policy): same correlation, caused by the event. */
    public static CommandContext causedBy(RecordedEvent event) {
        return causedBy(event, EventIds.timeOrdered());
    }

    /** As {@link #causedBy(RecordedEvent)}, with the command id given, so that a redelivered event issues the same command. */
    public static CommandContext causedBy(RecordedEvent event, UUID commandId) {
        String correlation = event.metadata().correlationId().orElse(event.eventId().toString());
        return new CommandContext(commandId, correlation, Metadata.of(Metadata.CAUSATION_ID, event.eventId().toString()));
    }

    /** The metadata of every event this command causes. */
    public Metadata eventMetadata() {
        return metadata
                .with(Metadata.CORRELATION_ID, correlationId)
                .with(Metadata.CAUSATION_ID, metadata.causationId().orElse(commandId.toString()));
    }

    /** The id of the {@code index}th event this command causes, the same on every retry. */
    public UUID eventId(int index) {
        return EventIds.derived(commandId, index);
    }
}
