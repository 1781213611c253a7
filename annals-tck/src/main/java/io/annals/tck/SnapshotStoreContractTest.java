package io.annals.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.StreamId;
import io.annals.snapshot.Snapshot;
import io.annals.snapshot.SnapshotStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link SnapshotStore} keeps. Return a fresh, empty store from {@link #createSnapshotStore()}. */
public abstract class SnapshotStoreContractTest {

    protected abstract SnapshotStore createSnapshotStore();

    private SnapshotStore snapshots;
    private final StreamId stream = StreamId.of("snap-" + UUID.randomUUID());
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void open() {
        snapshots = createSnapshotStore();
    }

    @Test
    void anUnknownStreamHasNoSnapshot() {
        assertThat(snapshots.load(stream)).isEmpty();
    }

    @Test
    void aSavedSnapshotLoadsBackUnchanged() {
        var snapshot = new Snapshot(stream, 41, "UserState.v1", "{\"email\":\"a@b.c\",\"n\":[1,2]}", now);
        snapshots.save(snapshot);
        Snapshot loaded = snapshots.load(stream).orElseThrow();
        assertThat(loaded.streamId()).isEqualTo(stream);
        assertThat(loaded.version()).isEqualTo(41);
        assertThat(loaded.stateType()).isEqualTo("UserState.v1");
        assertThat(loaded.state()).contains("\"email\"").contains("a@b.c");
        assertThat(loaded.takenAt()).isEqualTo(now);
    }

    @Test
    void aNewerSnapshotReplacesAnOlderOne() {
        snapshots.save(new Snapshot(stream, 10, "S", "{\"v\":10}", now));
        snapshots.save(new Snapshot(stream, 20, "S", "{\"v\":20}", now));
        assertThat(snapshots.load(stream).orElseThrow().version()).isEqualTo(20);
    }

    @Test
    void anOlderSnapshotNeverReplacesANewerOne() {
        snapshots.save(new Snapshot(stream, 20, "S", "{\"v\":20}", now));
        snapshots.save(new Snapshot(stream, 10, "S", "{\"v\":10}", now));
        assertThat(snapshots.load(stream).orElseThrow().version()).isEqualTo(20);
    }

    @Test
    void snapshotsOfDifferentStreamsAreIndependent() {
        StreamId other = StreamId.of("snap-other-" + UUID.randomUUID());
        snapshots.save(new Snapshot(stream, 1, "S", "{}", now));
        snapshots.save(new Snapshot(other, 2, "S", "{}", now));
        assertThat(snapshots.load(stream).orElseThrow().version()).isEqualTo(1);
        assertThat(snapshots.load(other).orElseThrow().version()).isEqualTo(2);
    }
}
