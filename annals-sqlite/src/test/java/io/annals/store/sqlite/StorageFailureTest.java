package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full disk while the store runs. SQLite's {@code max_page_count} makes the database "full" at
 * a chosen size, which fails writes with the same SQLITE_FULL a full disk gives.
 */
class StorageFailureTest {

    @TempDir
    Path directory;

    @Test
    void aFullDiskFailsTheAppendClearlyLosesNothingAndTheStoreRecoversWhenSpaceReturns() {
        try (var store = SqliteEventStore.open(directory.resolve("full.db"))) {
            StreamId id = StreamId.of("full-1");
            store.append(id, ExpectedVersion.noStream(), StoreFileOpeningTest.events(10));
            long pages = store.inTransaction(tx -> {
                try (Statement statement = tx.connection().createStatement();
                     ResultSet rows = statement.executeQuery("PRAGMA page_count")) {
                    rows.next();
                    long count = rows.getLong(1);
                    statement.execute("PRAGMA max_page_count = " + (count + 2));
                    return count;
                }
            });
            var big = new ArrayList<EventData>();
            for (int i = 0; i < 20; i++) {
                big.add(EventData.of("Big", "{\"blob\":\"" + "x".repeat(4_000) + "\"}"));
            }

            assertThatThrownBy(() -> store.append(id, ExpectedVersion.exact(9), big))
                    .isInstanceOf(EventStoreUnavailableException.class)
                    .hasMessageContaining("disk is full")
                    .hasMessageContaining("full.db");

            assertThat(store.readStream(id, 0, ReadDirection.FORWARD, 100)).hasSize(10);
            // a small append still fits, and continues the order without a gap
            var small = store.append(id, ExpectedVersion.exact(9), StoreFileOpeningTest.events(1));
            assertThat(small.position()).isEqualTo(Position.of(11));

            store.inTransaction(tx -> {
                try (Statement statement = tx.connection().createStatement()) {
                    statement.execute("PRAGMA max_page_count = " + (pages * 1000));
                }
                return null;
            });
            var after = store.append(id, ExpectedVersion.exact(10), big);
            assertThat(after.nextExpectedVersion()).isEqualTo(30);
            assertThat(after.position()).isEqualTo(Position.of(31));
            List<RecordedEvent> all = store.readAll(Position.START, 100);
            assertThat(all).extracting(e -> e.position().sequence())
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 31).boxed().toList());
        }
    }
}
