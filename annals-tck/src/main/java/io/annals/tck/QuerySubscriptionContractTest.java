package io.annals.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.property.Draw;
import io.annals.property.Property;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.QueryItem;
import io.annals.store.QuerySubscriptions;
import io.annals.store.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The contract of subscribing by query ({@link QuerySubscriptions}) that every store keeps:
 * the events matching the query, caught up and then live, in global order, none lost and none
 * twice, also while writers append during the catch-up. Extend it in the store's tests and
 * return a fresh, empty store from {@link #createStore()}.
 *
 * <p>Which events should arrive is decided by the test's own bookkeeping (what each writer
 * appended and the oracle {@link #shouldMatch}), never by the store's matching.
 */
public abstract class QuerySubscriptionContractTest<S extends EventStore & QuerySubscriptions> extends StoreContract<S> {

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    private static EventData event(String type, Tag... tags) {
        return EventData.of(type, "{}").withTags(tags);
    }

    private static List<UUID> ids(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::eventId).toList();
    }

    private static void assertInGlobalOrder(List<RecordedEvent> events) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).position()).as("event %d after event %d", i, i - 1)
                    .isGreaterThan(events.get(i - 1).position());
        }
    }

    @Test
    void deliversTheMatchingEventsOfTheHistoryThenLiveOnesInGlobalOrder() {
        Tag course = tag("course", "c1");
        Tag other = tag("course", "c2");
        StreamId s = stream("courses");
        EventQuery query = EventQuery.of(Set.of("Subscribed", "Unsubscribed"), Set.of(course));
        var expected = new ArrayList<UUID>();

        EventData first = event("Subscribed", course, tag("student", "s1"));
        EventData wrongTag = event("Subscribed", other);
        EventData wrongType = event("Renamed", course);
        EventData second = event("Unsubscribed", course);
        store.append(s, ExpectedVersion.any(), List.of(first, wrongTag, wrongType, second));
        expected.addAll(List.of(first.eventId(), second.eventId()));

        var received = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = store.subscribeToQuery(query, Position.START, received::add)) {
            eventually().until(() -> received.size() == 2 && subscription.isLive());
            EventData live = event("Subscribed", course);
            store.append(s, ExpectedVersion.any(), List.of(event("Subscribed", other), live, event("Renamed", course)));
            expected.add(live.eventId());
            eventually().until(() -> received.size() >= 3);

            assertThat(ids(received)).isEqualTo(expected);
            assertThat(subscription.position()).isEqualTo(received.getLast().position());
            assertThat(subscription.isRunning()).isTrue();
        }
    }

    @Test
    void anItemWithoutTypesMatchesEveryTypeAndItemsAreAlternatives() {
        Tag email = tag("email", "ann@example.com");
        Tag user = tag("user", "u1");
        EventQuery query = EventQuery.tagged(email).or(QueryItem.ofTypes("Audited-" + runId));
        EventData a = event("Registered", email, user);
        EventData b = event("Audited-" + runId);
        EventData c = event("EmailChanged", email);
        EventData none = event("Registered", user);
        store.append(stream("user"), ExpectedVersion.any(), List.of(a, none, b, c));

        var received = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription ignored = store.subscribeToQuery(query, Position.START, received::add)) {
            eventually().until(() -> received.size() >= 3);
        }
        assertThat(ids(received)).containsExactly(a.eventId(), b.eventId(), c.eventId());
        assertThat(received.getFirst().tags()).containsExactlyInAnyOrder(email, user);
    }

    @Test
    void startsStrictlyAfterTheGivenPosition() {
        Tag t = tag("order", "o1");
        StreamId s = stream("orders");
        Position afterFirst = store.append(s, ExpectedVersion.any(), List.of(event("Placed", t))).position();
        EventData later = event("Shipped", t);
        store.append(s, ExpectedVersion.any(), List.of(event("Noise"), later));

        var received = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription subscription = store.subscribeToQuery(EventQuery.tagged(t), afterFirst, received::add)) {
            eventually().until(() -> subscription.isLive() && received.size() >= 1);
            assertThat(subscription.position()).isEqualTo(received.getLast().position());
        }
        assertThat(ids(received)).containsExactly(later.eventId());
    }

    @Test
    void batchesHoldOnlyMatchingEventsAndNeverMoreThanAsked() {
        Tag t = tag("lot", "l1");
        StreamId s = stream("lots");
        var expected = new ArrayList<UUID>();
        var events = new ArrayList<EventData>();
        for (int i = 0; i < 40; i++) {
            EventData e = i % 3 == 0 ? event("Bid") : event("Bid", t);
            events.add(e);
            if (i % 3 != 0) {
                expected.add(e.eventId());
            }
        }
        store.append(s, ExpectedVersion.any(), events);

        var batches = new CopyOnWriteArrayList<List<RecordedEvent>>();
        var received = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription ignored = store.subscribeToQuery(EventQuery.tagged(t), Position.START, 4, batch -> {
            batches.add(List.copyOf(batch));
            received.addAll(batch);
        })) {
            eventually().until(() -> received.size() >= expected.size());
        }
        assertThat(ids(received)).isEqualTo(expected);
        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 4));
    }

    @Test
    void refusesABatchSizeOutOfBounds() {
        EventQuery query = EventQuery.tagged(tag("k", "v"));
        assertThatThrownBy(() -> store.subscribeToQuery(query, Position.START, 0, events -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.subscribeToQuery(query, Position.START, QuerySubscriptions.MAX_BATCH + 1, events -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingHandlerStopsTheSubscriptionAndReportsWhy() {
        Tag t = tag("job", "j1");
        store.append(stream("jobs"), ExpectedVersion.any(), List.of(event("Ran", t), event("Ran", t), event("Ran", t)));
        var calls = new AtomicInteger();
        Subscription subscription = store.subscribeToQuery(EventQuery.tagged(t), Position.START, e -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("handler broke");
            }
        });
        try {
            eventually().until(() -> !subscription.isRunning());
            assertThat(subscription.failure()).get().extracting(Throwable::getMessage).isEqualTo("handler broke");
            assertThat(calls).hasValue(2);
        } finally {
            subscription.close();
        }
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() {
        Tag t = tag("room", "r1");
        StreamId s = stream("rooms");
        var received = new CopyOnWriteArrayList<RecordedEvent>();
        Subscription subscription = store.subscribeToQuery(EventQuery.tagged(t), Position.START, received::add);
        store.append(s, ExpectedVersion.any(), List.of(event("Booked", t)));
        eventually().until(() -> received.size() == 1);
        subscription.close();
        assertThat(subscription.isRunning()).isFalse();
        store.append(s, ExpectedVersion.any(), List.of(event("Booked", t), event("Booked", t)));

        var control = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription ignored = store.subscribeToQuery(EventQuery.tagged(t), Position.START, control::add)) {
            eventually().until(() -> control.size() == 3);
        }
        assertThat(received).hasSize(1);
    }

    @Test
    void eventsAppendedDuringTheCatchUpArriveOnceEachInGlobalOrder() throws Exception {
        Tag watched = tag("account", "watched");
        Tag unwatched = tag("account", "unwatched");
        EventQuery query = EventQuery.tagged(watched);
        var shouldArrive = Collections.synchronizedSet(new HashSet<UUID>());
        var history = new ArrayList<EventData>();
        for (int i = 0; i < 60; i++) {
            EventData e = event("Booked", i % 2 == 0 ? watched : unwatched);
            history.add(e);
            if (i % 2 == 0) {
                shouldArrive.add(e.eventId());
            }
        }
        store.append(stream("seed"), ExpectedVersion.any(), history);

        var received = new CopyOnWriteArrayList<RecordedEvent>();
        int writers = 4;
        int perWriter = 25;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var start = new CountDownLatch(1);
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        boolean watchedOne = (i + writer) % 2 == 0;
                        EventData e = event("Booked", watchedOne ? watched : unwatched);
                        store.append(stream("writer" + writer), ExpectedVersion.any(), List.of(e));
                        if (watchedOne) {
                            shouldArrive.add(e.eventId());
                        }
                    }
                    return null;
                }));
            }
            try (Subscription subscription = store.subscribeToQuery(query, Position.START, 3, received::addAll)) {
                start.countDown();
                for (Future<?> future : futures) {
                    future.get();
                }
                int total = shouldArrive.size();
                eventually().until(() -> received.size() >= total);
                assertThat(subscription.isRunning()).isTrue();
            }
        }
        assertThat(received).hasSize(shouldArrive.size());
        assertThat(new HashSet<>(ids(received))).isEqualTo(shouldArrive);
        assertInGlobalOrder(received);
    }

    /** An event as the oracle sees it: its type and its tags as written. */
    private record Drawn(String type, Set<String> tags) {
    }

    /** An item as the oracle sees it. */
    private record DrawnItem(Set<String> types, Set<String> tags) {
    }

    /** The matching rule of a query, written out independently of {@link EventQuery#matches}. */
    private static boolean shouldMatch(List<DrawnItem> query, Drawn event) {
        for (DrawnItem item : query) {
            boolean typeOk = item.types().isEmpty() || item.types().contains(event.type());
            boolean tagsOk = true;
            for (String tag : item.tags()) {
                tagsOk &= event.tags().contains(tag);
            }
            if (typeOk && tagsOk) {
                return true;
            }
        }
        return false;
    }

    @Test
    void randomQueriesDeliverExactlyWhatTheOracleSelectsAcrossCatchUpAndLive() {
        var types = List.of("A", "B", "C");
        var caseNumber = new AtomicInteger();
        Property.check(12, draw -> {
            String scope = runId + "-" + caseNumber.incrementAndGet();
            List<String> tags = List.of("k:x-" + scope, "k:y-" + scope, "j:x-" + scope);
            List<DrawnItem> items = draw.listOf(1, 3, () -> {
                Set<String> itemTypes = draw.subsetOf(types, 2);
                Set<String> itemTags = draw.subsetOf(tags, 2);
                if (itemTypes.isEmpty() && itemTags.isEmpty()) {
                    itemTags = Set.of(draw.pick(tags));
                }
                return new DrawnItem(itemTypes, itemTags);
            });
            // every item names a tag of this case or a type, so scope the query to this case by a tag
            List<DrawnItem> scoped = items.stream()
                    .map(item -> item.tags().isEmpty() ? new DrawnItem(item.types(), Set.of(tags.getFirst())) : item)
                    .toList();
            EventQuery query = new EventQuery(scoped.stream()
                    .map(item -> QueryItem.of(item.types(), item.tags().stream().map(Tag::parse).toList()))
                    .toList());

            int before = draw.intBetween(0, 15);
            int after = draw.intBetween(0, 15);
            var expected = new ArrayList<UUID>();
            StreamId s = StreamId.of("random-" + scope);
            appendDrawn(draw, types, tags, scoped, s, before, expected);

            var received = new CopyOnWriteArrayList<RecordedEvent>();
            try (Subscription ignored = store.subscribeToQuery(query, Position.START, draw.intBetween(1, 5), received::addAll)) {
                appendDrawn(draw, types, tags, scoped, s, after, expected);
                eventually().until(() -> received.size() >= expected.size());
            }
            assertThat(ids(received)).isEqualTo(expected);
            assertInGlobalOrder(received);
        });
    }

    /** Appends {@code count} drawn events one by one, noting in {@code expected} those the oracle selects. */
    private void appendDrawn(Draw draw, List<String> types, List<String> tags, List<DrawnItem> query, StreamId s,
                             int count, List<UUID> expected) {
        for (int i = 0; i < count; i++) {
            var drawn = new Drawn(draw.pick(types), draw.subsetOf(tags, 3));
            EventData e = EventData.of(drawn.type(), "{}")
                    .withTags(drawn.tags().stream().map(Tag::parse).toArray(Tag[]::new));
            store.append(s, ExpectedVersion.any(), List.of(e));
            if (shouldMatch(query, drawn)) {
                expected.add(e.eventId());
            }
        }
    }
}
