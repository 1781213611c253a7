package io.annals.store.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.EventStoreClosedException;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.EventSubscriptions;
import io.annals.store.ExpectedVersion;
import io.annals.store.Subscription;
import io.annals.store.inmemory.InMemoryEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared reader and the subscriptions around it, on the in-memory store's reads, counted and
 * disturbed. The poll interval is an hour, so anything delivered was delivered by a signal.
 */
class StoreSubscriptionsTest {

    private static final Duration NO_POLLING = Duration.ofHours(1);

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final AppendSignal signal = new AppendSignal();
    private final CountingReads reads = new CountingReads(SubscriptionReads.of(store, () -> {
        List<RecordedEvent> all = readEverything(store);
        return all.isEmpty() ? Position.START : all.getLast().position();
    }));
    private StoreSubscriptions subscriptions = new StoreSubscriptions("test", reads, signal, 16, NO_POLLING, 64);

    @AfterEach
    void close() {
        subscriptions.close();
        store.close();
    }

    @Test
    void caughtUpSubscriptionsShareOneReadPerCommit() {
        int subscribers = 20;
        int appends = 50;
        var received = new ArrayList<List<RecordedEvent>>();
        var opened = new ArrayList<Subscription>();
        for (int i = 0; i < subscribers; i++) {
            var events = new CopyOnWriteArrayList<RecordedEvent>();
            received.add(events);
            opened.add(subscriptions.toAll(Position.START, EventFilter.ALL, 1, events::addAll));
        }
        patiently().until(() -> opened.stream().allMatch(Subscription::isLive));
        int readsBefore = reads.allReads.get();

        for (int i = 0; i < appends; i++) {
            append("shared-" + i, 1);
        }

        patiently().until(() -> received.stream().allMatch(events -> events.size() == appends));
        // one read per commit at most, and one that finds nothing now and then; each subscriber reading
        // for itself would have made subscribers x appends
        assertThat(reads.allReads.get() - readsBefore).isLessThanOrEqualTo(2 * appends);
        List<RecordedEvent> stored = readEverything(store);
        assertThat(received).allSatisfy(events -> assertThat(events).isEqualTo(stored));
    }

    /**
     * The join race: an event committed after a subscription's own read looked at the store, and
     * published by the feed before the read's result is back, must still reach it.
     */
    @Test
    void anEventCommittedWhileACatchUpReadIsOnItsWayIsNotLostAtTheJoin() {
        append("before", 2);
        var witnessed = new CopyOnWriteArrayList<RecordedEvent>();
        var received = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription witness = subscriptions.toAll(Position.START, EventFilter.ALL, 1, witnessed::addAll)) {
            patiently().until(witness::isLive);
            reads.afterFilteredRead.set(() -> {
                append("between", 1);
                patiently().until(() -> witnessed.size() == 3);
            });
            // a filter that matches everything, so that this subscription's reads can be told from the feed's
            try (Subscription subscription = subscriptions.toAll(Position.START, EventFilter.eventTypes("Happened"), 1,
                    received::addAll)) {
                patiently().until(subscription::isLive);
                append("after", 1);
                patiently().until(() -> witnessed.size() == 4);
                patiently().until(() -> received.size() >= 4);
                assertThat(received).isEqualTo(witnessed);
            }
        }
    }

    @Test
    void aSlowSubscriberHoldsNoOneUpFallsBehindTheWindowAndStillGetsEverythingOnceInOrder() {
        var release = new CountDownLatch(1);
        var slow = new CopyOnWriteArrayList<RecordedEvent>();
        var fast = new CopyOnWriteArrayList<RecordedEvent>();
        // a filter that matches everything, so that the slow subscriber's own reads can be told from the feed's
        EventFilter everything = EventFilter.streamPrefix("s");
        try (Subscription slowOne = subscriptions.toAll(Position.START, everything, 1, events -> {
                 release.await();
                 slow.addAll(events);
             });
             Subscription fastOne = subscriptions.toAll(Position.START, EventFilter.ALL, 1, fast::addAll)) {
            patiently().until(() -> fastOne.isLive() && slowOne.isLive());
            int ownReadsBefore = reads.filteredReads.get();

            for (int i = 0; i < 300; i++) {
                append("s-" + i % 7, 1 + i % 3);
            }
            List<RecordedEvent> stored = readEverything(store);
            patiently().until(() -> fast.size() == stored.size());
            assertThat(slow).isEmpty();

            release.countDown();
            patiently().until(() -> slow.size() >= stored.size());
            assertThat(slow).isEqualTo(stored);
            assertThat(fast).isEqualTo(stored);
            // 600 events through a window of 64: the slow one was lapped and read the store itself
            assertThat(reads.filteredReads.get()).isGreaterThan(ownReadsBefore);
            assertThat(slowOne.isRunning()).isTrue();
        }
    }

    /**
     * A subscription that is behind joins as soon as its own read reaches what the window holds,
     * not only when a read comes back short: with appends that never stop, a read may never do so.
     */
    @Test
    void aSubscriptionBehindJoinsTheWindowOnceItsReadReachesItWhileAppendsNeverStop() {
        var fast = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription fastOne = subscriptions.toAll(Position.START, EventFilter.ALL, 1, fast::addAll)) {
            patiently().until(fastOne::isLive);
            append("s-history", 40);
            patiently().until(() -> fast.size() == 40);
            // each read of its own is followed by as many new events as a read takes: none comes back short
            var appendsLeft = new AtomicInteger(1000);
            reads.everyFilteredRead.set(() -> {
                if (appendsLeft.getAndDecrement() > 0) {
                    append("s-busy", 16);
                }
            });
            var received = new CopyOnWriteArrayList<RecordedEvent>();
            // a filter that matches everything, so that this subscription's reads can be told from the feed's
            try (Subscription behind = subscriptions.toAll(Position.START, EventFilter.streamPrefix("s"), 1,
                    received::addAll)) {
                patiently().until(behind::isLive);
                assertThat(appendsLeft.get()).as("appends left when it joined").isPositive();
                reads.everyFilteredRead.set(null);
                int ownReads = reads.filteredReads.get();

                append("s-after", 3);
                List<RecordedEvent> stored = readEverything(store);
                patiently().until(() -> received.size() >= stored.size() && fast.size() == stored.size());
                assertThat(received).isEqualTo(stored);
                assertThat(fast).isEqualTo(stored);
                assertThat(reads.filteredReads.get()).as("reads of its own after the join").isEqualTo(ownReads);
            }
        }
    }

    /** A batch as its handler got it, and the subscription's position at that moment (null: not known yet). */
    private record Seen(Position before, List<RecordedEvent> batch) {
    }

    @Test
    void batchHandlersGetUpToTheirBatchSizeInOrderAndThePositionFollowsEachBatch() {
        append("before", 40);
        var seen = new CopyOnWriteArrayList<Seen>();
        var self = new AtomicReference<Subscription>();
        self.set(subscriptions.toAll(Position.START, EventFilter.ALL, 7, events -> {
            Subscription subscription = self.get();
            seen.add(new Seen(subscription == null ? null : subscription.position(), List.copyOf(events)));
        }));
        try (Subscription subscription = self.get()) {
            patiently().until(subscription::isLive);
            for (int i = 0; i < 10; i++) {
                append("after-" + i, 1 + i % 4);
            }
            List<RecordedEvent> stored = readEverything(store);
            patiently().until(() -> seen.stream().mapToInt(batch -> batch.batch().size()).sum() == stored.size());

            assertThat(seen).allSatisfy(batch -> assertThat(batch.batch()).hasSizeBetween(1, 7));
            assertThat(seen.stream().flatMap(batch -> batch.batch().stream()).toList()).isEqualTo(stored);
            assertThat(subscription.position()).isEqualTo(stored.getLast().position());
            for (int i = 1; i < seen.size(); i++) {
                if (seen.get(i).before() != null) {
                    assertThat(seen.get(i).before()).isEqualTo(seen.get(i - 1).batch().getLast().position());
                }
            }
        }
    }

    @Test
    void aBatchSizeOutsideTheLimitsIsRefused() {
        assertThatThrownBy(() -> subscriptions.toAll(Position.START, EventFilter.ALL, 0, events -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> subscriptions.toAll(Position.START, EventFilter.ALL, EventSubscriptions.MAX_BATCH + 1,
                events -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsThatFailAsUnavailableAreRetriedFromTheSamePlace() {
        append("early", 5);
        reads.unavailable.set(true);
        var received = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = subscriptions.toAll(Position.START, EventFilter.ALL, 1, received::addAll)) {
            patiently().until(() -> reads.failures.get() > 0);
            append("during", 3);
            reads.unavailable.set(false);
            signal.signal(); // what a database notification listener does when it reconnects
            List<RecordedEvent> stored = readEverything(store);
            patiently().until(() -> received.size() >= stored.size());
            assertThat(received).isEqualTo(stored);

            append("later", 2);
            patiently().until(() -> received.size() == stored.size() + 2);
            assertThat(subscription.isRunning()).isTrue();
            assertThat(subscription.isLive()).isTrue();
        }
    }

    @Test
    void aReadFailureThatLastsStopsTheSubscriptionsWithIt() {
        var received = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = subscriptions.toAll(Position.START, EventFilter.ALL, 1, received::addAll)) {
            patiently().until(subscription::isLive);
            reads.broken.set(true);
            append("broken", 1);
            patiently().until(() -> !subscription.isRunning());
            assertThat(subscription.failure()).get().extracting(Throwable::getMessage).isEqualTo("the disk is gone");
        }
    }

    @Test
    void theReaderRestsWhileNoSubscriptionIsOpenAndStartsFromTheEndWhenOneOpens() {
        var first = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = subscriptions.toAll(Position.START, EventFilter.ALL, 1, first::addAll)) {
            patiently().until(subscription::isLive);
            append("first", 2);
            patiently().until(() -> first.size() == 2);
        }
        int readsAfterClose = reads.allReads.get();
        for (int i = 0; i < 20; i++) {
            append("unwatched-" + i, 1);
        }
        // a signal per commit and nobody listening: the last read the reader started may still finish
        assertThat(reads.allReads.get()).isLessThanOrEqualTo(readsAfterClose + 1);

        var second = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = subscriptions.toAll(Position.START, EventFilter.ALL, 1, second::addAll)) {
            patiently().until(subscription::isLive);
            append("second", 3);
            List<RecordedEvent> stored = readEverything(store);
            patiently().until(() -> second.size() == stored.size());
            assertThat(second).isEqualTo(stored);
        }
    }

    @Test
    void streamSubscriptionsTakeTheirStreamFromTheFeedAfterTheirVersion() {
        StreamId watched = StreamId.of("watched-1");
        store.append(watched, ExpectedVersion.any(), events(3));
        var received = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = subscriptions.toStream(watched, 1, 2, received::addAll)) {
            patiently().until(subscription::isLive);
            for (int i = 0; i < 5; i++) {
                append("other-" + i, 2);
                store.append(watched, ExpectedVersion.any(), events(1 + i % 2));
                signal.signal();
            }
            patiently().until(() -> received.size() == 1 + 7);
            assertThat(received).extracting(RecordedEvent::version).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(received).allSatisfy(event -> assertThat(event.streamId()).isEqualTo(watched));
        }
    }

    @Test
    void closingTheStoreSubscriptionsClosesEverySubscriptionAndRefusesNewOnes() {
        Subscription subscription = subscriptions.toAll(Position.START, EventFilter.ALL, 1, events -> { });
        patiently().until(subscription::isLive);
        subscriptions.close();
        assertThat(subscription.isRunning()).isFalse();
        assertThatThrownBy(() -> subscriptions.toAll(Position.START, EventFilter.ALL, 1, events -> { }))
                .isInstanceOf(EventStoreClosedException.class);
    }

    @Test
    void aStoreThatClosesUnderTheReadsEndsItsSubscriptionsWithoutFailure() {
        var received = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = subscriptions.toAll(Position.START, EventFilter.ALL, 1, received::addAll)) {
            patiently().until(subscription::isLive);
            reads.closed.set(true);
            append("after-close", 1);
            patiently().until(() -> !subscription.isRunning());
            assertThat(subscription.failure()).isEmpty();
            assertThat(received).isEmpty();
        }
    }

    private static ConditionFactory patiently() {
        return await().pollInterval(Duration.ofMillis(5));
    }

    private void append(String stream, int count) {
        store.append(StreamId.of(stream), ExpectedVersion.any(), events(count));
        signal.signal();
    }

    static List<EventData> events(int count) {
        var events = new ArrayList<EventData>(count);
        for (int i = 0; i < count; i++) {
            events.add(EventData.of("Happened", "{\"n\":" + i + "}"));
        }
        return events;
    }

    static List<RecordedEvent> readEverything(InMemoryEventStore store) {
        return store.readAll(Position.START, Integer.MAX_VALUE);
    }

    /** The reads, counted; they can be made to fail as unavailable, or broken for good. */
    static final class CountingReads implements SubscriptionReads {
        private final SubscriptionReads reads;
        final AtomicInteger allReads = new AtomicInteger();
        final AtomicInteger filteredReads = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicBoolean unavailable = new AtomicBoolean();
        final AtomicBoolean broken = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        /** Runs once, after the next filtered read and before its result is returned. */
        final AtomicReference<Runnable> afterFilteredRead = new AtomicReference<>();
        /** Runs after every filtered read, before its result is returned, while set. */
        final AtomicReference<Runnable> everyFilteredRead = new AtomicReference<>();

        CountingReads(SubscriptionReads reads) {
            this.reads = reads;
        }

        @Override
        public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
            check();
            (filter.isAll() ? allReads : filteredReads).incrementAndGet();
            List<RecordedEvent> result = reads.readAll(after, limit, filter);
            Runnable then = filter.isAll() ? null : afterFilteredRead.getAndSet(null);
            if (then != null) {
                then.run();
            }
            Runnable every = filter.isAll() ? null : everyFilteredRead.get();
            if (every != null) {
                every.run();
            }
            return result;
        }

        @Override
        public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, int limit) {
            check();
            return reads.readStream(streamId, fromVersion, limit);
        }

        @Override
        public Position lastPosition() {
            check();
            return reads.lastPosition();
        }

        private void check() {
            if (closed.get()) {
                throw new EventStoreClosedException("the store is closed");
            }
            if (broken.get()) {
                throw new IllegalStateException("the disk is gone");
            }
            if (unavailable.get()) {
                failures.incrementAndGet();
                throw new EventStoreUnavailableException("the database is restarting", null);
            }
        }
    }
}
