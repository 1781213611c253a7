package io.annals.store.sqlite;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import io.annals.store.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LiveSubscriptionTest {

    @TempDir
    Path directory;

    /**
     * With the fallback poll set to an hour, a live subscription can only see new events because
     * the commit woke it; the test would time out if it had to wait for a poll.
     */
    @Test
    void aLiveSubscriptionIsWokenByTheCommitNotByPolling() {
        try (var store = SqliteEventStore.builder(directory.resolve("live.db"))
                .subscriptionFallbackPoll(Duration.ofHours(1)).build()) {
            var received = new CopyOnWriteArrayList<RecordedEvent>();
            try (Subscription subscription = store.subscribeToAll(Position.START, EventFilter.ALL, received::add)) {
                await().atMost(Duration.ofSeconds(10)).until(subscription::isLive);
                for (int i = 1; i <= 3; i++) {
                    store.append(StreamId.of("live-" + i), ExpectedVersion.noStream(), StoreFileOpeningTest.events(2));
                    int expected = 2 * i;
                    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == expected);
                }
            }
            assertThat(received).extracting(e -> e.position().sequence()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        }
    }
}
