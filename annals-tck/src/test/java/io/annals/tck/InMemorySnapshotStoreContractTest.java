package io.annals.tck;

import io.annals.snapshot.SnapshotStore;
import io.annals.snapshot.inmemory.InMemorySnapshotStore;

class InMemorySnapshotStoreContractTest extends SnapshotStoreContractTest {

    @Override
    protected SnapshotStore createSnapshotStore() {
        return new InMemorySnapshotStore();
    }
}
