package io.annals.store.postgres;

import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventStoreException;
import io.annals.store.ExpectedVersion;
import io.annals.store.StreamDeletedException;
import io.annals.store.WrongExpectedVersionException;
import java.util.UUID;

/** What the append function decided for one request. */
sealed interface AppendOutcome {

    record Written(AppendResult result) implements AppendOutcome {
    }

    /** The events are an exact repeat of an earlier append; nothing was written. */
    record Repeated(AppendResult result) implements AppendOutcome {
    }

    record Conflict(long actualVersion) implements AppendOutcome {
    }

    record Deleted() implements AppendOutcome {
    }

    /** An event id the stream holds from another append: that stored id. */
    record Duplicate(UUID eventId) implements AppendOutcome {
    }

    /** The ids repeat an earlier append, but this stored event has another type or data. */
    record Different(UUID eventId) implements AppendOutcome {
    }

    default boolean wroteEvents() {
        return this instanceof Written;
    }

    default AppendResult resultOrThrow(StreamId streamId, ExpectedVersion expected) {
        return switch (this) {
            case Written(AppendResult result) -> result;
            case Repeated(AppendResult result) -> result;
            case Conflict(long actual) -> throw new WrongExpectedVersionException(streamId, expected, actual);
            case Deleted() -> throw new StreamDeletedException(streamId);
            case Duplicate(UUID eventId) -> throw new DuplicateEventException(streamId, eventId);
            case Different(UUID eventId) -> throw DuplicateEventException.differentEvent(streamId, eventId);
        };
    }

    default void complete(AppendRequest request) {
        try {
            request.result().complete(resultOrThrow(request.streamId(), request.expected()));
        } catch (EventStoreException e) {
            request.result().completeExceptionally(e);
        }
    }
}
