package io.annals.store;

import io.annals.event.Position;

/**
 * What a successful append tells the writer.
 *
 * @param nextExpectedVersion the version of the last event written, the expected version of the next append
 * @param position            the global position of the last event written
 * @param repeated            true when the stream already held these events, written by an earlier
 *                            append with the same event ids: this append wrote nothing and answers
 *                            with that append's version and position
 */
public record AppendResult(long nextExpectedVersion, Position position, boolean repeated) {

    /** The result of an append that wrote its events. */
    public AppendResult(long nextExpectedVersion, Position position) {
        this(nextExpectedVersion, position, false);
    }

    /** The answer to a retry of the append that gave this result. */
    public AppendResult asRepeat() {
        return new AppendResult(nextExpectedVersion, position, true);
    }
}
