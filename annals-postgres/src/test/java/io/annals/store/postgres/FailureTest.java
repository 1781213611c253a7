package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.ExpectedVersion;
import io.annals.store.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What callers see when connections die or run out. */
class FailureTest {

    @Test
    void anExhaustedPoolFailsAsUnavailableInsteadOfHanging() throws Exception {
        try (var fixture = new PostgresStoreFixture("exhausted",
                builder -> builder.maxPoolSize(1).connectionTimeout(Duration.ofMillis(250)))) {
            var holding = new CountDownLatch(1);
            var release = new CountDownLatch(1);
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Object> holder = threads.submit(() -> fixture.store.inTransaction(tx -> {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
                holding.await();
                assertThatThrownBy(() -> fixture.store.append(StreamId.of("starved-1"), ExpectedVersion.any(),
                        List.of(EventData.of("Starved", "{}"))))
                        .isInstanceOf(EventStoreUnavailableException.class)
                        .hasMessageContaining("no database connection became free in time")
                        .satisfies(e -> assertThat(((EventStoreUnavailableException) e).isRetriable()).isTrue());
                release.countDown();
                holder.get();
            }
            // and the store works again once the connection is back
            fixture.store.append(StreamId.of("starved-1"), ExpectedVersion.any(), List.of(EventData.of("Fed", "{}")));
        }
    }

    /**
     * Backends are killed under load, as a server restart does to a client. Every append either
     * succeeds or fails as retriable; no append is half-written; a subscription that ran through
     * it all ends with every event that is in the store, once, in order.
     */
    @Test
    void killedConnectionsUnderLoadLoseNothingAndWriteNothingHalfway() throws Exception {
        try (var fixture = new PostgresStoreFixture("killed", builder -> builder.maxPoolSize(6)
                .reconnectDelay(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(200)))) {
            PostgresEventStore store = fixture.store;
            List<RecordedEvent> delivered = new CopyOnWriteArrayList<>();
            Set<UUID> succeeded = ConcurrentHashMap.newKeySet();
            List<List<UUID>> attempted = new CopyOnWriteArrayList<>();
            AtomicInteger unavailable = new AtomicInteger();
            AtomicBoolean writing = new AtomicBoolean(true);

            try (Subscription subscription = store.subscribeToAll(Position.START, EventFilter.ALL, delivered::add);
                 var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    StreamId stream = StreamId.of("killed-" + w);
                    writers.add(threads.submit(() -> {
                        while (writing.get()) {
                            List<EventData> events = List.of(EventData.of("A", "{}"), EventData.of("B", "{}"), EventData.of("C", "{}"));
                            attempted.add(events.stream().map(EventData::eventId).toList());
                            try {
                                store.append(stream, ExpectedVersion.any(), events);
                                events.forEach(event -> succeeded.add(event.eventId()));
                            } catch (EventStoreUnavailableException e) {
                                unavailable.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (int kill = 0; kill < 3; kill++) {
                    int before = succeeded.size();
                    await().atMost(Duration.ofSeconds(20)).until(() -> succeeded.size() > before + 30);
                    fixture.terminateBackends("annals-pool-" + fixture.schema);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> succeeded.size() > 0 && unavailable.get() > 0);
                writing.set(false);
                for (Future<?> writer : writers) {
                    writer.get();
                }

                // readers of all events wait for every older transaction on the server, ours and others'
                List<RecordedEvent> stored = await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> readEverything(store),
                        events -> events.stream().map(RecordedEvent::eventId).collect(Collectors.toSet()).containsAll(succeeded));
                await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> delivered.size() >= stored.size());
                assertThat(subscription.isRunning()).isTrue();
                assertThat(delivered).extracting(RecordedEvent::eventId)
                        .containsExactlyElementsOf(stored.stream().map(RecordedEvent::eventId).toList());

                Set<UUID> storedIds = stored.stream().map(RecordedEvent::eventId).collect(Collectors.toSet());
                assertThat(storedIds).containsAll(succeeded);
                for (List<UUID> append : attempted) {
                    long present = append.stream().filter(storedIds::contains).count();
                    assertThat(present).as("events of one append present").isIn(0L, 3L);
                }
            }
        }
    }

    private static List<RecordedEvent> readEverything(PostgresEventStore store) {
        List<RecordedEvent> all = new ArrayList<>();
        Position position = Position.START;
        List<RecordedEvent> batch;
        while (!(batch = store.readAll(position, 1000)).isEmpty()) {
            all.addAll(batch);
            position = batch.getLast().position();
        }
        assertThat(new HashSet<>(all)).hasSize(all.size());
        return all;
    }
}
