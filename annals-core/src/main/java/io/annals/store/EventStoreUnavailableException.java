package io.annals.store;

/**
 * The store could not be reached or did not answer in time (database down, pool exhausted,
 * connection lost mid-commit). An append that fails this way was either fully written or not at
 * all; retrying it with the same event ids is safe because appends are idempotent.
 */
public final class EventStoreUnavailableException extends EventStoreException {

    public EventStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
