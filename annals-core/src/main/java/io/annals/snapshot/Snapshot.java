package io.annals.snapshot;

import io.annals.event.StreamId;
import java.time.Instant;
import java.util.Objects;

/**
 * An aggregate's state folded up to {@code version}, so that loading reads only later events.
 *
 * @param stateType names the state's shape; a loader ignores snapshots of another shape, so
 *                  changing the state class only needs a new name (old snapshots fall away)
 * @param state     the state as JSON
 */
public record Snapshot(StreamId streamId, long version, String stateType, String state, Instant takenAt) {

    public Snapshot {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(stateType, "stateType");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(takenAt, "takenAt");
        if (version < 0) {
            throw new IllegalArgumentException("snapshot version must not be negative");
        }
    }
}
