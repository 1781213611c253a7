package io.annals.snapshot;

import io.annals.event.StreamId;
import java.util.Optional;

/** Keeps the latest snapshot of each stream. */
public interface SnapshotStore {

    Optional<Snapshot> load(StreamId streamId);

    /** Stores the snapshot unless one with a higher version is already stored. */
    void save(Snapshot snapshot);
}
