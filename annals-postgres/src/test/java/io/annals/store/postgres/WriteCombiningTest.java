package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventStoreClosedException;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.ExpectedVersion;
import io.annals.store.StreamState;
import io.annals.store.WrongExpectedVersionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Concurrent single appends share transactions, but each keeps its own check and its own outcome. */
class WriteCombiningTest {

    private final PostgresStoreFixture fixture = new PostgresStoreFixture("combining",
            builder -> builder.maxPoolSize(8).writeLanes(2));
    private final PostgresEventStore store = fixture.store;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void conflictsAndDuplicatesAmongConcurrentAppendsFailOnlyTheirOwnRequest() throws Exception {
        StreamId taken = StreamId.of("taken-1");
        EventData existing = EventData.of("Existing", "{}");
        store.append(taken, ExpectedVersion.noStream(), List.of(existing));
        StreamId otherTaken = StreamId.of("taken-2");
        store.append(otherTaken, ExpectedVersion.noStream(), List.of(EventData.of("Existing", "{}"), EventData.of("Existing", "{}")));
        UUID secondOfOther = store.readStreamForward(otherTaken, 1, 1).getFirst().eventId();

        int good = 60;
        var start = new CountDownLatch(1);
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < good; i++) {
            StreamId stream = StreamId.of("fresh-" + i);
            calls.add(() -> {
                start.await();
                return store.append(stream, ExpectedVersion.noStream(), List.of(EventData.of("Fresh", "{}")));
            });
        }
        // wrong expected version
        calls.add(() -> {
            start.await();
            return store.append(taken, ExpectedVersion.exact(7), List.of(EventData.of("Late", "{}")));
        });
        // an id already in the stream, but not as a repeat of an earlier append: fails the whole statement
        calls.add(() -> {
            start.await();
            return store.append(otherTaken, ExpectedVersion.any(),
                    List.of(EventData.of("New", "{}"), EventData.of("Copy", "{}").withEventId(secondOfOther)));
        });
        // an exact retry of an earlier append
        calls.add(() -> {
            start.await();
            return store.append(taken, ExpectedVersion.noStream(), List.of(existing));
        });

        List<Future<Object>> results = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<Object> call : calls) {
                results.add(threads.submit(call));
            }
            start.countDown();
        }

        for (int i = 0; i < good; i++) {
            assertThat(((AppendResult) results.get(i).get()).nextExpectedVersion()).isZero();
        }
        assertThat(failure(results.get(good))).isInstanceOf(WrongExpectedVersionException.class);
        assertThat(((WrongExpectedVersionException) failure(results.get(good))).actualVersion()).isZero();
        assertThat(failure(results.get(good + 1))).isInstanceOf(DuplicateEventException.class);
        assertThat(((DuplicateEventException) failure(results.get(good + 1))).eventId()).isEqualTo(secondOfOther);
        assertThat(((AppendResult) results.get(good + 2).get()).nextExpectedVersion()).isZero();

        // readers of all events wait for every older transaction on the server, ours and others'
        List<RecordedEvent> all = await().atMost(PostgresStoreFixture.SHARED_SERVER_PATIENCE).until(() -> store.readAll(Position.START, 1000), events -> events.size() >= good + 3);
        assertThat(all).hasSize(good + 3);
        assertThat(all).extracting(RecordedEvent::type).doesNotContain("Late", "New", "Copy");
        // the requests that wrote nothing left their streams' versions as they were
        assertThat(store.streamState(taken)).isEqualTo(new StreamState.Active(0));
        assertThat(store.streamState(otherTaken)).isEqualTo(new StreamState.Active(1));
        assertThat(store.append(taken, ExpectedVersion.exact(0), List.of(EventData.of("Next", "{}"))).nextExpectedVersion())
                .isEqualTo(1);
    }

    /**
     * Interrupting a caller fails at most its own append, whether the caller was waiting for its
     * lane or writing its own append on an idle lane: writers that are never interrupted never see
     * a failure, and interrupted writers that retry with the same event ids end with every event
     * written exactly once.
     */
    @Test
    void anInterruptedCallerFailsOnlyItsOwnAppend() throws Exception {
        int writers = 8;
        int appendsEach = 20;
        var threads = new ConcurrentHashMap<Integer, Thread>();
        var failuresOfSteadyWriters = new AtomicInteger();
        var interruptedFailures = new AtomicInteger();
        var done = new CountDownLatch(writers);
        var eventIds = new UUID[writers][appendsEach];
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < appendsEach; i++) {
                eventIds[w][i] = UUID.randomUUID();
            }
        }
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                boolean steady = writer % 2 == 0;
                executor.submit(() -> {
                    threads.put(writer, Thread.currentThread());
                    StreamId stream = StreamId.of("interrupted-" + writer);
                    try {
                        for (int i = 0; i < appendsEach; i++) {
                            var event = EventData.of("Appended", "{}").withEventId(eventIds[writer][i]);
                            while (true) {
                                try {
                                    store.append(stream, i == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exact(i - 1),
                                            List.of(event));
                                    break;
                                } catch (EventStoreUnavailableException e) {
                                    Thread.interrupted();
                                    (steady ? failuresOfSteadyWriters : interruptedFailures).incrementAndGet();
                                }
                            }
                        }
                    } finally {
                        threads.remove(writer);
                        done.countDown();
                    }
                    return null;
                });
            }
            var random = new Random(7);
            while (done.getCount() > 0) {
                Thread target = threads.get(2 * random.nextInt(writers / 2) + 1);
                if (target != null) {
                    target.interrupt();
                }
                LockSupport.parkNanos(3_000_000);
            }
        }

        assertThat(failuresOfSteadyWriters).hasValue(0);
        assertThat(interruptedFailures.get()).as("interrupts that failed an append").isPositive();
        for (int w = 0; w < writers; w++) {
            assertThat(store.readStreamForward(StreamId.of("interrupted-" + w), 0, appendsEach + 1))
                    .extracting(RecordedEvent::eventId)
                    .containsExactly(eventIds[w]);
        }
    }

    @Test
    void racingWritersOfOneStreamWinEachVersionExactlyOnce() throws Exception {
        StreamId stream = StreamId.of("contended-1");
        int writers = 12;
        int attemptsEach = 15;
        AtomicInteger wins = new AtomicInteger();
        var winners = ConcurrentHashMap.<Long>newKeySet();
        List<Future<Object>> futures = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                futures.add(threads.submit(() -> {
                    for (int a = 0; a < attemptsEach; a++) {
                        long current = store.readStream(stream, io.annals.store.StreamReader.END,
                                io.annals.store.ReadDirection.BACKWARD, 1).stream().mapToLong(RecordedEvent::version).findFirst().orElse(-1);
                        try {
                            AppendResult result = store.append(stream, ExpectedVersion.after(current),
                                    List.of(EventData.of("Won", "{}")));
                            assertThat(winners.add(result.nextExpectedVersion())).isTrue();
                            wins.incrementAndGet();
                        } catch (WrongExpectedVersionException expected) {
                            assertThat(expected.actualVersion()).isGreaterThan(current);
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<Object> future : futures) {
            future.get();
        }
        List<RecordedEvent> events = store.readStreamForward(stream, 0, 10_000);
        assertThat(events).hasSize(wins.get());
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).version()).isEqualTo(i);
        }
    }

    private static Throwable failure(Future<Object> future) throws InterruptedException {
        try {
            future.get();
            throw new AssertionError("expected the append to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * Closing the store while appends pour in: every call returns, written or refused as
     * unavailable, none waits for ever; and every append that returned a result is in the store.
     */
    @Test
    void closingUnderLoadAnswersEveryAppendAndKeepsEveryAcknowledgedOne() throws Exception {
        var closing = fixture.secondStore(builder -> builder.maxPoolSize(4).writeLanes(2));
        var acknowledged = new ConcurrentHashMap<StreamId, Long>();
        var refused = new AtomicInteger();
        var firstWrites = new CountDownLatch(32);
        var appenders = new ArrayList<Future<?>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 32; w++) {
                StreamId stream = StreamId.of("closing-" + w);
                appenders.add(threads.submit(() -> {
                    for (int i = 0; ; i++) {
                        try {
                            AppendResult result = closing.append(stream, ExpectedVersion.any(),
                                    List.of(EventData.of("Pouring", "{}")));
                            acknowledged.put(stream, result.nextExpectedVersion());
                            if (i == 0) {
                                firstWrites.countDown();
                            }
                        } catch (EventStoreClosedException e) {
                            refused.incrementAndGet();
                            return;
                        }
                    }
                }));
            }
            firstWrites.await();
            closing.close();
            for (Future<?> appender : appenders) {
                appender.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        assertThat(refused).hasValue(32);
        acknowledged.forEach((stream, version) ->
                assertThat(store.streamState(stream)).isEqualTo(StreamState.active(version)));
    }
}
