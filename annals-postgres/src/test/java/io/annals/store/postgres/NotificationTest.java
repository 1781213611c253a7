package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import io.annals.store.Subscription;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions in one process are woken by appends in another through LISTEN/NOTIFY. The poll
 * interval is set to an hour, so only a notification can deliver within the test's timeouts.
 */
class NotificationTest {

    private static final Duration NO_POLLING = Duration.ofHours(1);

    private final PostgresStoreFixture fixture = new PostgresStoreFixture("notify",
            builder -> builder.pollInterval(NO_POLLING).reconnectDelay(Duration.ofMillis(100)));
    private final PostgresEventStore subscriber = fixture.store;
    private final PostgresEventStore writer = fixture.secondStore(builder -> builder.maxPoolSize(2));

    @AfterEach
    void close() {
        writer.close();
        fixture.close();
    }

    @Test
    void anAppendInAnotherProcessWakesTheSubscription() {
        List<RecordedEvent> received = new CopyOnWriteArrayList<>();
        await().until(subscriber::isListening);
        await().until(writer::notifiesOtherProcesses);
        try (Subscription subscription = subscriber.subscribeToAll(Position.START, EventFilter.ALL, received::add)) {
            await().until(subscription::isLive);
            writer.append(StreamId.of("remote-1"), ExpectedVersion.noStream(), List.of(EventData.of("Remote", "{}")));
            await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> received.size() == 1);
        }
    }

    /**
     * Concurrent appends take the other path: the writer notifies after the commit, merging
     * notifications while one is on its way, instead of inside each append's transaction. Every
     * event still reaches the other process without polling.
     */
    @Test
    void concurrentAppendsInAnotherProcessAreAllDeliveredWithoutPolling() throws Exception {
        List<RecordedEvent> received = new CopyOnWriteArrayList<>();
        int writers = 8;
        int appendsEach = 25;
        await().until(subscriber::isListening);
        await().until(writer::notifiesOtherProcesses);
        try (Subscription subscription = subscriber.subscribeToAll(Position.START, EventFilter.ALL, received::add);
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            await().until(subscription::isLive);
            var appends = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                StreamId stream = StreamId.of("concurrent-" + w);
                appends.add(threads.submit(() -> {
                    for (int i = 0; i < appendsEach; i++) {
                        writer.append(stream, ExpectedVersion.any(), List.of(EventData.of("Remote", "{}")));
                    }
                    return null;
                }));
            }
            for (Future<?> append : appends) {
                append.get();
            }
            await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE)
                    .until(() -> received.size() == writers * appendsEach);
        }
    }

    /**
     * An older transaction that never appends (here: rolled back) holds a committed event back and
     * sends no notification when it ends; the subscription still delivers it without polling.
     */
    @Test
    void anEventHeldBackByATransactionThatNeverNotifiesIsStillDeliveredWithoutPolling() throws Exception {
        List<RecordedEvent> received = new CopyOnWriteArrayList<>();
        await().until(subscriber::isListening);
        await().until(writer::notifiesOtherProcesses);
        try (Subscription subscription = subscriber.subscribeToAll(Position.START, EventFilter.ALL, received::add);
             Connection blocker = fixture.postgres.connect()) {
            await().until(subscription::isLive);
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT pg_current_xact_id()");
            }
            writer.append(StreamId.of("held-1"), ExpectedVersion.noStream(), List.of(EventData.of("Held", "{}")));
            // the notification has arrived: the subscriber knows a committed stamp beyond what it can read
            await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> subscriber.readerLag().isHeldBack());
            assertThat(received).isEmpty();

            blocker.rollback();
            await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> received.size() == 1);
        }
    }

    @Test
    void theListenerComesBackAfterItsConnectionIsKilledAndNothingIsMissed() throws Exception {
        List<RecordedEvent> received = new CopyOnWriteArrayList<>();
        await().until(subscriber::isListening);
        await().until(writer::notifiesOtherProcesses);
        try (Subscription subscription = subscriber.subscribeToAll(Position.START, EventFilter.ALL, received::add)) {
            await().until(subscription::isLive);
            writer.append(StreamId.of("before-1"), ExpectedVersion.noStream(), List.of(EventData.of("Before", "{}")));
            await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> received.size() == 1);

            assertThat(fixture.terminateBackends("annals-listener-" + fixture.schema)).isEqualTo(2);
            // appended while the listener may be away: the reconnect's own wake-up must deliver it
            writer.append(StreamId.of("during-1"), ExpectedVersion.noStream(), List.of(EventData.of("During", "{}")));
            await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> received.size() == 2);

            await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(subscriber::isListening);
            await().until(writer::notifiesOtherProcesses);
            writer.append(StreamId.of("after-1"), ExpectedVersion.noStream(), List.of(EventData.of("After", "{}")));
            await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> received.size() == 3);
            assertThat(received).extracting(RecordedEvent::type).containsExactly("Before", "During", "After");
            assertThat(subscription.isRunning()).isTrue();
        }
    }
}
