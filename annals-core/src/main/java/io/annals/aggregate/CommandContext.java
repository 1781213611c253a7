package io.annals.aggregate;

import io.annals.event.EventIds;
import io.annals.event.Metadata;
import io.annals.event.RecordedEvent;
import java.util.Objects;
import java.util.UUID;

/**
 * Where a command comes from. Every event the command causes carries the context's correlation
 * id and, as causation id, the command id. Event ids are derived from the command id, so that
 * storing the same decision twice (a retry after a lost answer) writes it once.
 */
public record CommandContext(UUID commandId, String correlationId, Metadata metadata) {

    public CommandContext {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(correlationId, "correlationId");
        metadata = metadata == null ? Metadata.EMPTY : metadata;
    }

    /** A command that starts a new conversation: it is its own correlation. */
    public static CommandContext newCommand() {
        UUID id = EventIds.timeOrdered();
        return new CommandContext(id, id.toString(), Metadata.EMPTY);
    }

    public static CommandContext of(UUID commandId, String correlationId) {
        return new CommandContext(commandId, correlationId, Metadata.EMPTY);
    }

    /** A command issued in reaction to an event (by a saga or policy): same correlation, caused by the event. */
    public static CommandContext causedBy(RecordedEvent event) {
        UUID id = EventIds.timeOrdered();
        String correlation = event.metadata().correlationId().orElse(event.eventId().toString());
        return new CommandContext(id, correlation, Metadata.EMPTY);
    }

    public Metadata eventMetadata() {
        return metadata
                .with(Metadata.CORRELATION_ID, correlationId)
                .with(Metadata.CAUSATION_ID, commandId.toString());
    }

    /** The id of the {@code index}th event this command causes, the same on every retry. */
    public UUID eventId(int index) {
        return EventIds.derived(commandId, index);
    }
}
