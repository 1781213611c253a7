package io.annals.store;

/** What a stream looks like to a reader right now. */
public sealed interface StreamState {

    /** Never written, or soft-deleted with nothing written since. */
    record Absent() implements StreamState {
    }

    /** Readable; {@code version} is the version of its last event. */
    record Active(long version) implements StreamState {
    }

    /** Hard-deleted: no read or append will ever succeed again. */
    record Tombstoned() implements StreamState {
    }

    static StreamState absent() {
        return new Absent();
    }

    static StreamState active(long version) {
        return new Active(version);
    }

    static StreamState tombstoned() {
        return new Tombstoned();
    }
}
