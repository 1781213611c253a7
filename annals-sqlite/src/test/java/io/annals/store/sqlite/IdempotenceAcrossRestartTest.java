package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.DuplicateEventException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Event ids are remembered in memory; after a restart the writer must learn them again from the file. */
class IdempotenceAcrossRestartTest {

    @TempDir
    Path directory;

    @Test
    void retriesAndDuplicatesAreRecognisedAfterTheStoreIsReopened() {
        Path file = directory.resolve("restart.db");
        StreamId id = StreamId.of("restart-1");
        List<EventData> first = StoreFileOpeningTest.events(3);
        List<EventData> second = StoreFileOpeningTest.events(2);
        AppendResult firstResult;
        try (var store = SqliteEventStore.open(file)) {
            firstResult = store.append(id, ExpectedVersion.noStream(), first);
            store.append(id, ExpectedVersion.exact(2), second);
        }
        try (var store = SqliteEventStore.open(file)) {
            assertThat(store.append(id, ExpectedVersion.noStream(), first)).isEqualTo(firstResult);
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), List.of(EventData.of("New", "{}"), second.get(1))))
                    .isInstanceOf(DuplicateEventException.class);
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), List.of(first.get(1), first.get(0))))
                    .isInstanceOf(DuplicateEventException.class);
            assertThat(store.append(id, ExpectedVersion.exact(4), StoreFileOpeningTest.events(1)).nextExpectedVersion()).isEqualTo(5);
            assertThat(store.readStream(id, 0, ReadDirection.FORWARD, 100)).hasSize(6);
        }
    }
}
