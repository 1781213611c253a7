package io.annals.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntUnaryOperator;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract for many subscriptions on one store: each receives every event it asked for,
 * exactly once and in order, however many there are, whenever they start, whether they take
 * events one at a time or in batches, and however slow one of them is. Extend it in your store's
 * tests and return a fresh, empty store from {@link #createStore()}.
 */
public abstract class SubscriptionFanOutContractTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** A fresh, empty store with default limits; called before every test. */
    protected abstract EventStore createStore();

    protected EventStore store;

    @BeforeEach
    void openStore() {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /**
     * Fifty subscriptions to all events, half opened before four writers start and half while they
     * append, half taking single events and half batches of up to 1 to 16 events.
     */
    @Test
    void fiftySubscriptionsEachReceiveEveryEventOnceInOrderWhileWritersAppend() throws Exception {
        String prefix = "fan";
        EventFilter filter = EventFilter.streamPrefix(prefix);
        Set<UUID> appended = ConcurrentHashMap.newKeySet();
        List<EventData> seed = events(20);
        store.append(StreamId.of(prefix + "-seed"), ExpectedVersion.noStream(), seed);
        seed.forEach(event -> appended.add(event.eventId()));
        var received = new ArrayList<List<RecordedEvent>>();
        var subscriptions = new ArrayList<Subscription>();
        try (var writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < 25; s++) {
                subscriptions.add(subscribe(s, filter, received));
            }
            var start = new CountDownLatch(1);
            var writing = new ArrayList<Future<?>>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writing.add(writers.submit(() -> {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        List<EventData> batch = events(1 + (writer + i) % 3);
                        store.append(StreamId.of(prefix + "-w" + writer + "-" + i % 5), ExpectedVersion.any(), batch);
                        batch.forEach(event -> appended.add(event.eventId()));
                    }
                    return null;
                }));
            }
            start.countDown();
            patiently().until(() -> appended.size() >= 150);
            for (int s = 25; s < 50; s++) {
                subscriptions.add(subscribe(s, filter, received));
            }
            for (Future<?> writer : writing) {
                writer.get();
            }
        }
        List<RecordedEvent> stored = readAllContaining(filter, appended);
        assertThat(stored).extracting(RecordedEvent::eventId).containsExactlyInAnyOrderElementsOf(appended);
        try {
            awaitAll(subscriptions, received, s -> stored.size());
            for (int s = 0; s < subscriptions.size(); s++) {
                assertThat(subscriptions.get(s).failure()).as("subscription %d", s).isEmpty();
            }
        } finally {
            subscriptions.forEach(Subscription::close);
        }
        for (int s = 0; s < subscriptions.size(); s++) {
            assertThat(ids(received.get(s))).as("subscription %d", s).isEqualTo(ids(stored));
        }
    }

    /** Ten subscriptions to one stream each, on streams that writers append to at the same time. */
    @Test
    void streamSubscriptionsEachReceiveTheirStreamOnceInVersionOrderWhileWritersAppend() throws Exception {
        int streams = 10;
        var received = new ArrayList<List<RecordedEvent>>();
        var subscriptions = new ArrayList<Subscription>();
        for (int s = 0; s < streams; s++) {
            StreamId stream = stream(s);
            store.append(stream, ExpectedVersion.noStream(), events(3));
            var events = new CopyOnWriteArrayList<RecordedEvent>();
            received.add(events);
            // half one at a time, half in batches
            long afterVersion = firstVersion(s) - 1;
            subscriptions.add(s % 4 < 2
                    ? store.subscribeToStream(stream, afterVersion, events::add)
                    : store.subscribeToStream(stream, afterVersion, 5, events::addAll));
        }
        try (var writers = Executors.newVirtualThreadPerTaskExecutor()) {
            var writing = new ArrayList<Future<?>>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writing.add(writers.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        store.append(stream((writer + 3 * i) % streams), ExpectedVersion.any(), events(1 + i % 2));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writing) {
                writer.get();
            }
        }
        var lastVersions = new ArrayList<Long>();
        for (int s = 0; s < streams; s++) {
            lastVersions.add(((StreamState.Active) store.streamState(stream(s))).version());
        }
        try {
            awaitAll(subscriptions, received, s -> (int) (lastVersions.get(s) - firstVersion(s) + 1));
            for (int s = 0; s < streams; s++) {
                StreamId stream = stream(s);
                assertThat(received.get(s)).as("stream %d", s).extracting(RecordedEvent::version)
                        .containsExactlyElementsOf(versions(firstVersion(s), lastVersions.get(s)));
                assertThat(received.get(s)).as("stream %d", s)
                        .allSatisfy(event -> assertThat(event.streamId()).isEqualTo(stream));
            }
        } finally {
            subscriptions.forEach(Subscription::close);
        }
    }

    /** A handler that does not return delays only its own subscription, which then gets everything too. */
    @Test
    void aSubscriberThatDoesNotReturnHoldsUpNoOtherSubscriber() throws Exception {
        String prefix = "stuck";
        EventFilter filter = EventFilter.streamPrefix(prefix);
        var release = new CountDownLatch(1);
        var stuck = new CopyOnWriteArrayList<RecordedEvent>();
        var others = new ArrayList<List<RecordedEvent>>();
        var subscriptions = new ArrayList<Subscription>();
        subscriptions.add(store.subscribeToAll(Position.START, filter, event -> {
            release.await();
            stuck.add(event);
        }));
        for (int s = 0; s < 5; s++) {
            subscriptions.add(subscribe(s, filter, others));
        }
        try {
            var appended = new ArrayList<UUID>();
            for (int i = 0; i < 100; i++) {
                List<EventData> batch = events(1 + i % 4);
                store.append(StreamId.of(prefix + "-" + i % 7), ExpectedVersion.any(), batch);
                batch.forEach(event -> appended.add(event.eventId()));
            }
            List<RecordedEvent> stored = readAllContaining(filter, appended);
            awaitAll(subscriptions.subList(1, subscriptions.size()), others, s -> stored.size());
            for (List<RecordedEvent> events : others) {
                assertThat(ids(events)).isEqualTo(ids(stored));
            }
            assertThat(stuck).isEmpty();

            release.countDown();
            patiently().until(() -> stuck.size() >= stored.size());
            assertThat(ids(stuck)).isEqualTo(ids(stored));
            assertThat(subscriptions).allSatisfy(subscription -> assertThat(subscription.isRunning()).isTrue());
        } finally {
            release.countDown();
            subscriptions.forEach(Subscription::close);
        }
    }

    /** Subscription {@code s}: even ones take single events, odd ones batches of up to 1 to 16. */
    private Subscription subscribe(int s, EventFilter filter, List<List<RecordedEvent>> received) {
        var events = new CopyOnWriteArrayList<RecordedEvent>();
        received.add(events);
        return s % 2 == 0
                ? store.subscribeToAll(Position.START, filter, events::add)
                : store.subscribeToAll(Position.START, filter, 1 + s % 16, events::addAll);
    }

    private static ConditionFactory patiently() {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10));
    }

    /** Waits until each subscription has at least its expected count, or has stopped. */
    private static void awaitAll(List<Subscription> subscriptions, List<List<RecordedEvent>> received,
                                 IntUnaryOperator expected) {
        patiently().until(() -> {
            for (int s = 0; s < subscriptions.size(); s++) {
                if (received.get(s).size() < expected.applyAsInt(s) && subscriptions.get(s).isRunning()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The first version stream subscription {@code s} wants: half from the start, half after the second event. */
    private static long firstVersion(int s) {
        return s % 2 == 0 ? 0 : 2;
    }

    private StreamId stream(int s) {
        return StreamId.of("watched-" + s);
    }

    private static List<Long> versions(long first, long last) {
        var versions = new ArrayList<Long>();
        for (long v = first; v <= last; v++) {
            versions.add(v);
        }
        return versions;
    }

    private static List<EventData> events(int count) {
        var events = new ArrayList<EventData>(count);
        for (int i = 0; i < count; i++) {
            events.add(EventData.of("FannedOut", "{\"i\":" + i + "}"));
        }
        return events;
    }

    /** The store's own global order of the matching events, once every one of {@code expected} shows in it. */
    private List<RecordedEvent> readAllContaining(EventFilter filter, Collection<UUID> expected) {
        patiently().until(() -> ids(readAll(filter)).containsAll(expected));
        return readAll(filter);
    }

    /** The store's global order of the matching events, in one read: these tests write far fewer than the limit. */
    private List<RecordedEvent> readAll(EventFilter filter) {
        return store.readAll(Position.START, 100_000, filter);
    }

    private static List<UUID> ids(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::eventId).toList();
    }
}
