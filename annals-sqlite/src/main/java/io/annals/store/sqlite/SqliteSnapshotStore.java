package io.annals.store.sqlite;

import io.annals.event.StreamId;
import io.annals.snapshot.Snapshot;
import io.annals.snapshot.SnapshotStore;

import java.util.Objects;
import java.util.Optional;

/**
 * Snapshots kept in the event store's file, in table {@code snapshots}: one per stream, the one
 * with the highest version wins. Saves go through the store's single writer like every write;
 * it is open exactly as long as its {@link SqliteEventStore}.
 */
public final class SqliteSnapshotStore implements SnapshotStore {

    private final SqliteEventStore store;

    public SqliteSnapshotStore(SqliteEventStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Optional<Snapshot> load(StreamId streamId) {
        Objects.requireNonNull(streamId, "streamId");
        return store.reads().loadSnapshot(streamId);
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (!EventColumns.fitsNanos(snapshot.takenAt())) {
            throw new IllegalArgumentException("snapshot takenAt " + snapshot.takenAt() + " is out of the range this store keeps");
        }
        store.submit(new WriteOp.SaveSnapshot(snapshot));
    }
}
