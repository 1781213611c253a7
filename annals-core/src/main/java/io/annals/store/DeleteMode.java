package io.annals.store;

public enum DeleteMode {
    /** Hides the stream's events from stream reads; the stream can be written again from its next version. */
    SOFT,
    /** Tombstones the stream for ever: later reads and appends fail with {@link StreamDeletedException}. */
    HARD
}
