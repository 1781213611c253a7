package io.annals.projection;

/** What a projection does with an event that still fails after its retries, once it is parked. */
public enum OnFailure {
    /** The partition stops before the event until the dead letter is retried or discarded (keeps order). */
    STOP,
    /** The partition goes on after the event; the dead letter can be retried later, out of order. */
    SKIP
}
