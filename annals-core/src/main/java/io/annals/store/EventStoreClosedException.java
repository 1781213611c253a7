package io.annals.store;

/**
 * The store was closed. Every store answers every call made after {@link EventStore#close()}
 * with this exception, and its subscriptions have ended. Retrying on the same store never
 * succeeds: open the store again.
 */
public final class EventStoreClosedException extends EventStoreException {

    public EventStoreClosedException(String message) {
        super(message);
    }
}
