package io.annals.kafka;

/** A record that is not a CloudEvent as Annals writes them; consumers dead-letter it at once. */
public final class UndecodableRecordException extends RuntimeException {

    public UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
