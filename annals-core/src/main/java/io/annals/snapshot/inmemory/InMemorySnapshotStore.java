package io.annals.snapshot.inmemory;

import io.annals.event.StreamId;
import io.annals.snapshot.Snapshot;
import io.annals.snapshot.SnapshotStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

public final class InMemorySnapshotStore implements SnapshotStore {

    private final ConcurrentMap<StreamId, Snapshot> snapshots = new ConcurrentHashMap<>();

    @Override
    public Optional<Snapshot> load(StreamId streamId) {
        return Optional.ofNullable(snapshots.get(streamId));
    }

    @Override
    public void save(Snapshot snapshot) {
        snapshots.merge(snapshot.streamId(), snapshot,
                (stored, offered) -> offered.version() >= stored.version() ? offered : stored);
    }
}
