package io.annals.store.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import io.annals.store.Subscription;
import io.annals.store.inmemory.InMemoryEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random schedules against an oracle: subscriptions of every kind (all events, filtered, from a
 * position, one stream from a version; single events and batches; some slow) start at random
 * moments while writers append, on small windows, so that they join, get lapped, read the
 * store and join again. Each must end with exactly what a plain read of the whole store says it
 * wants, in order.
 */
class SubscriptionScheduleTest {

    private static final String[] TYPES = {"Opened", "Moved", "Closed"};
    private static final String[] STREAMS = {"a-1", "a-2", "b-1", "b-2", "c-1"};

    /** What one subscription asked for, as a predicate over the store's global order. */
    private record Wanted(String description, Predicate<RecordedEvent> test) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void everySubscriptionGetsExactlyWhatItAskedForInOrder(long seed) throws Exception {
        var random = new Random(seed);
        int readBatch = 1 + random.nextInt(8);
        int window = Integer.highestOneBit(2 * readBatch - 1) << (1 + random.nextInt(2));
        var store = new InMemoryEventStore();
        var signal = new AppendSignal();
        SubscriptionReads reads = new LateReads(new Random(random.nextLong()), SubscriptionReads.of(store, () -> {
            List<RecordedEvent> all = store.readAll(Position.START, Integer.MAX_VALUE);
            return all.isEmpty() ? Position.START : all.getLast().position();
        }));
        String context = "seed " + seed + ", read batch " + readBatch + ", window " + window;
        var wanted = new ArrayList<Wanted>();
        var received = new ArrayList<List<RecordedEvent>>();
        var opened = new ArrayList<Subscription>();
        try (var subscriptions = new StoreSubscriptions("schedule", reads, signal, readBatch, Duration.ofHours(1),
                window);
             var writers = Executors.newVirtualThreadPerTaskExecutor()) {
            var writing = new ArrayList<Future<?>>();
            for (int w = 0; w < 3; w++) {
                var own = new Random(random.nextLong());
                writing.add(writers.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        var events = new ArrayList<EventData>();
                        for (int e = 1 + own.nextInt(4); e > 0; e--) {
                            events.add(EventData.of(TYPES[own.nextInt(TYPES.length)], "{}"));
                        }
                        store.append(StreamId.of(STREAMS[own.nextInt(STREAMS.length)]), ExpectedVersion.any(), events);
                        signal.signal();
                        // writes spread out, so that subscriptions join and fall behind meanwhile
                        LockSupport.parkNanos(own.nextInt(200_000));
                    }
                    return null;
                }));
            }
            for (int s = 0; s < 12; s++) {
                int threshold = random.nextInt(200);
                await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(20))
                        .until(() -> count(store) >= threshold || writing.stream().allMatch(Future::isDone));
                var events = new CopyOnWriteArrayList<RecordedEvent>();
                received.add(events);
                int maxBatch = 1 + random.nextInt(5);
                boolean slow = random.nextBoolean();
                var pace = new Random(random.nextLong());
                Subscription subscription = switch (random.nextInt(4)) {
                    case 0 -> {
                        wanted.add(new Wanted("all", event -> true));
                        yield subscriptions.toAll(Position.START, EventFilter.ALL, maxBatch, batch -> {
                            pause(slow, pace);
                            events.addAll(batch);
                        });
                    }
                    case 1 -> {
                        String type = TYPES[random.nextInt(TYPES.length)];
                        wanted.add(new Wanted("type " + type, event -> event.type().equals(type)));
                        yield subscriptions.toAll(Position.START, EventFilter.eventTypes(type), maxBatch, batch -> {
                            pause(slow, pace);
                            events.addAll(batch);
                        });
                    }
                    case 2 -> {
                        List<RecordedEvent> sofar = store.readAll(Position.START, Integer.MAX_VALUE);
                        Position after = sofar.isEmpty() ? Position.START : sofar.get(random.nextInt(sofar.size())).position();
                        String prefix = STREAMS[random.nextInt(STREAMS.length)].substring(0, 2);
                        wanted.add(new Wanted("prefix " + prefix + " after " + after.sequence(),
                                event -> event.position().isAfter(after) && event.streamId().value().startsWith(prefix)));
                        yield subscriptions.toAll(after, EventFilter.streamPrefix(prefix), maxBatch, batch -> {
                            pause(slow, pace);
                            events.addAll(batch);
                        });
                    }
                    default -> {
                        StreamId stream = StreamId.of(STREAMS[random.nextInt(STREAMS.length)]);
                        long afterVersion = random.nextInt(6) - 1;
                        wanted.add(new Wanted("stream " + stream.value() + " after version " + afterVersion,
                                event -> event.streamId().equals(stream) && event.version() > afterVersion));
                        yield subscriptions.toStream(stream, afterVersion, maxBatch, batch -> {
                            pause(slow, pace);
                            events.addAll(batch);
                        });
                    }
                };
                opened.add(subscription);
            }
            for (Future<?> writer : writing) {
                writer.get();
            }
            List<RecordedEvent> everything = store.readAll(Position.START, Integer.MAX_VALUE);
            var expected = wanted.stream().map(want -> everything.stream().filter(want.test()).toList()).toList();
            try {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
                    for (int s = 0; s < opened.size(); s++) {
                        if (received.get(s).size() < expected.get(s).size() && opened.get(s).isRunning()) {
                            return false;
                        }
                    }
                    return true;
                });
            } catch (ConditionTimeoutException e) {
                // the comparison below names the seed and what is missing
            }
            opened.forEach(Subscription::close);
            for (int s = 0; s < opened.size(); s++) {
                assertThat(received.get(s)).as("%s: subscription %d (%s)", context, s, wanted.get(s).description())
                        .isEqualTo(expected.get(s));
                assertThat(opened.get(s).failure()).as(context).isEmpty();
            }
        } finally {
            store.close();
        }
    }

    /**
     * Reads whose results arrive a while after the store answered, now and then, as over a
     * network: what a subscription does between its read and its use of the result must not matter.
     */
    private record LateReads(Random random, SubscriptionReads reads) implements SubscriptionReads {
        @Override
        public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
            return late(reads.readAll(after, limit, filter));
        }

        @Override
        public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, int limit) {
            return late(reads.readStream(streamId, fromVersion, limit));
        }

        @Override
        public Position lastPosition() {
            return late(reads.lastPosition());
        }

        private <T> T late(T result) {
            if (random.nextInt(3) == 0) {
                LockSupport.parkNanos(random.nextInt(300_000));
            }
            return result;
        }
    }

    private static int count(InMemoryEventStore store) {
        return store.readAll(Position.START, Integer.MAX_VALUE).size();
    }

    /** A slow handler: some batches take a while, so that writers lap it. */
    private static void pause(boolean slow, Random pace) {
        if (slow && pace.nextInt(4) == 0) {
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }
}
