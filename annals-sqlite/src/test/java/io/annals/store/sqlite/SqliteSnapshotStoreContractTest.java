package io.annals.store.sqlite;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.event.StreamId;
import io.annals.snapshot.Snapshot;
import io.annals.snapshot.SnapshotStore;
import io.annals.store.EventStoreClosedException;
import java.time.Instant;
import io.annals.tck.SnapshotStoreContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

    @Test
    void theSnapshotsOfAClosedEventStoreAnswerThatTheStoreIsClosed() {
        SnapshotStore snapshots = store.snapshots(); // the suite opened the store before this test
        store.close();

        StreamId stream = StreamId.of("closed");
        assertThatThrownBy(() -> snapshots.load(stream)).isInstanceOf(EventStoreClosedException.class);
        assertThatThrownBy(() -> snapshots.save(new Snapshot(stream, 1, "S", "{}", Instant.now())))
                .isInstanceOf(EventStoreClosedException.class);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }
}
