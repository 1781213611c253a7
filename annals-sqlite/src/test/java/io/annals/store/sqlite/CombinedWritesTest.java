package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.DuplicateEventException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.WrongExpectedVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Many writers, one connection: each write keeps its own check and answer, and the order has no gaps. */
class CombinedWritesTest {

    @TempDir
    Path directory;

    private SqliteEventStore store;

    @BeforeEach
    void open() {
        store = SqliteEventStore.open(directory.resolve("combined.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A write started on its own platform thread, with what it returned or threw. */
    private record Attempt(Thread thread, AtomicReference<Object> outcome) {
        static Attempt start(Supplier<Object> write) {
            var outcome = new AtomicReference<>();
            Thread thread = Thread.ofPlatform().start(() -> {
                try {
                    outcome.set(write.get());
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
            });
            return new Attempt(thread, outcome);
        }

        Object await() throws InterruptedException {
            thread.join(Duration.ofSeconds(30));
            return outcome.get();
        }
    }

    @Test
    void retriesDuplicatesAndConflictsQueuedTogetherWithNewAppendsEachGetTheirOwnAnswer() throws Exception {
        StreamId a = StreamId.of("group-a");
        StreamId b = StreamId.of("group-b");
        List<EventData> original = StoreFileOpeningTest.events(3);
        AppendResult originalResult = store.append(a, ExpectedVersion.noStream(), original);
        List<EventData> twice = StoreFileOpeningTest.events(2);
        List<EventData> fresh = StoreFileOpeningTest.events(1);

        // hold the writer so that every attempt below queues up, then let them all run as one group
        var release = new CountDownLatch(1);
        var holding = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> store.inTransaction(tx -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        holding.await();
        var attempts = new ArrayList<Attempt>();
        Attempt retry = Attempt.start(() -> store.append(a, ExpectedVersion.any(), original));
        Attempt staleRetry = Attempt.start(() -> store.append(a, ExpectedVersion.noStream(), original));
        Attempt appended = Attempt.start(() -> store.append(a, ExpectedVersion.streamExists(), fresh));
        Attempt duplicate = Attempt.start(() -> store.append(a, ExpectedVersion.any(),
                List.of(EventData.of("New", "{}"), original.get(1))));
        Attempt conflict = Attempt.start(() -> store.append(a, ExpectedVersion.noStream(), StoreFileOpeningTest.events(1)));
        Attempt firstOfTwice = Attempt.start(() -> store.append(b, ExpectedVersion.any(), twice));
        Attempt secondOfTwice = Attempt.start(() -> store.append(b, ExpectedVersion.any(), twice));
        var newStreams = new ArrayList<Attempt>();
        for (int i = 0; i < 8; i++) {
            StreamId id = StreamId.of("group-new-" + i);
            newStreams.add(Attempt.start(() -> store.append(id, ExpectedVersion.noStream(), StoreFileOpeningTest.events(2))));
        }
        attempts.addAll(List.of(retry, staleRetry, appended, duplicate, conflict, firstOfTwice, secondOfTwice));
        attempts.addAll(newStreams);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                attempts.stream().allMatch(attempt -> attempt.thread().getState() == Thread.State.WAITING));
        release.countDown();
        holder.join(Duration.ofSeconds(30));

        assertThat(retry.await()).isEqualTo(originalResult.asRepeat());
        assertThat(staleRetry.await()).isEqualTo(originalResult.asRepeat());
        assertThat(appended.await()).isInstanceOfSatisfying(AppendResult.class,
                result -> assertThat(result.nextExpectedVersion()).isEqualTo(3));
        assertThat(duplicate.await()).isInstanceOf(DuplicateEventException.class);
        assertThat(conflict.await()).isInstanceOfSatisfying(WrongExpectedVersionException.class,
                e -> assertThat(e.actualVersion()).isGreaterThanOrEqualTo(2));
        AppendResult first = (AppendResult) firstOfTwice.await();
        AppendResult second = (AppendResult) secondOfTwice.await();
        assertThat(first.asRepeat()).isEqualTo(second.asRepeat());
        assertThat(List.of(first.repeated(), second.repeated())).containsExactlyInAnyOrder(false, true);
        for (Attempt attempt : newStreams) {
            assertThat(attempt.await()).isInstanceOfSatisfying(AppendResult.class,
                    result -> assertThat(result.nextExpectedVersion()).isEqualTo(1));
        }

        assertThat(store.readStream(a, 0, ReadDirection.FORWARD, 100)).hasSize(4);
        assertThat(store.readStream(b, 0, ReadDirection.FORWARD, 100)).extracting(RecordedEvent::eventId)
                .containsExactly(twice.get(0).eventId(), twice.get(1).eventId());
        assertGapFree(3 + 1 + 2 + 8 * 2);
    }

    @Test
    void manyConcurrentWritersWithConflictsAndRetriesGetConsistentAnswersAndAGapFreeOrder() throws Exception {
        int writers = 48;
        int appendsPerWriter = 60;
        StreamId shared = StreamId.of("stress-shared");
        var acknowledged = new ConcurrentHashMap<UUID, AppendResult>();
        var conflicts = new AtomicInteger();
        var start = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                StreamId own = StreamId.of("stress-own-" + w);
                futures.add(executor.submit(() -> {
                    start.await();
                    long version = -1;
                    List<EventData> previous = null;
                    for (int i = 0; i < appendsPerWriter; i++) {
                        int dice = ThreadLocalRandom.current().nextInt(10);
                        if (dice == 0 && previous != null) {
                            // a retry of the previous append must answer exactly as the first time
                            AppendResult again = store.append(own, ExpectedVersion.after(version - previous.size()), previous);
                            assertThat(again).isEqualTo(acknowledged.get(previous.getLast().eventId()).asRepeat());
                        } else if (dice == 1) {
                            try {
                                store.append(own, ExpectedVersion.exact(version + 5), StoreFileOpeningTest.events(1));
                                throw new AssertionError("a wrong expected version was accepted");
                            } catch (WrongExpectedVersionException e) {
                                assertThat(e.actualVersion()).isEqualTo(version);
                                conflicts.incrementAndGet();
                            }
                        } else if (dice <= 3) {
                            List<EventData> events = StoreFileOpeningTest.events(1);
                            acknowledged.put(events.getLast().eventId(), store.append(shared, ExpectedVersion.any(), events));
                        } else {
                            List<EventData> events = StoreFileOpeningTest.events(1 + ThreadLocalRandom.current().nextInt(3));
                            AppendResult result = store.append(own, ExpectedVersion.after(version), events);
                            assertThat(result.nextExpectedVersion()).isEqualTo(version + events.size());
                            version = result.nextExpectedVersion();
                            acknowledged.put(events.getLast().eventId(), result);
                            previous = events;
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        }
        List<RecordedEvent> all = assertGapFree(-1);
        Map<UUID, RecordedEvent> byId = new HashMap<>();
        all.forEach(event -> byId.put(event.eventId(), event));
        acknowledged.forEach((lastEventId, result) -> {
            RecordedEvent recorded = byId.get(lastEventId);
            assertThat(recorded).as("acknowledged event %s", lastEventId).isNotNull();
            assertThat(recorded.position()).isEqualTo(result.position());
            assertThat(recorded.version()).isEqualTo(result.nextExpectedVersion());
        });
        assertThat(conflicts.get()).isPositive();
        for (int w = 0; w < writers; w++) {
            List<RecordedEvent> stream = store.readStream(StreamId.of("stress-own-" + w), 0, ReadDirection.FORWARD, 10_000);
            assertThat(stream).extracting(RecordedEvent::version)
                    .containsExactlyElementsOf(LongStream.range(0, stream.size()).boxed().toList());
        }
    }

    /** Reads everything and checks that positions are exactly 1..n; returns the events. */
    private List<RecordedEvent> assertGapFree(int expectedCount) {
        var all = new ArrayList<RecordedEvent>();
        Position after = Position.START;
        List<RecordedEvent> page;
        while (!(page = store.readAll(after, 1000)).isEmpty()) {
            all.addAll(page);
            after = page.getLast().position();
        }
        if (expectedCount >= 0) {
            assertThat(all).hasSize(expectedCount);
        }
        assertThat(all).extracting(event -> event.position().sequence())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
        return all;
    }

}
