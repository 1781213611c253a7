package io.annals.store;

/** The append itself is malformed (empty, too large, invalid JSON...); nothing was written. */
public final class InvalidAppendException extends EventStoreException {

    public InvalidAppendException(String message) {
        super(message);
    }
}
