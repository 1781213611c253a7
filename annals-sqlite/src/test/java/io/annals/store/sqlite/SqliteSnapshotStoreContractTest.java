package io.annals.store.sqlite;

import io.annals.snapshot.SnapshotStore;
import io.annals.tck.SnapshotStoreContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteSnapshotStoreContractTest extends SnapshotStoreContractTest {

    @TempDir
    Path directory;

    private SqliteEventStore store;

    @Override
    protected SnapshotStore createSnapshotStore() {
        store = SqliteEventStore.open(directory.resolve("snapshots.db"));
        return store.snapshots();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }
}
