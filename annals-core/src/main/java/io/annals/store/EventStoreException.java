package io.annals.store;

/**
 * Every failure an event store reports. The hierarchy is closed so that callers (the HTTP layer,
 * the command runtime) can map each kind exhaustively.
 */
public sealed abstract class EventStoreException extends RuntimeException
        permits WrongExpectedVersionException, StreamDeletedException, InvalidAppendException,
                DuplicateEventException, EventStoreUnavailableException,
                AppendConditionFailedException, EventStoreClosedException {

    protected EventStoreException(String message) {
        super(message);
    }

    protected EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same call may succeed when tried again unchanged. */
    public boolean isRetriable() {
        return false;
    }
}
