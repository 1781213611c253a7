package io.annals.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.event.Tag;
import io.annals.store.Append;
import io.annals.store.AppendCondition;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.AppendResult;
import io.annals.store.AppendResults;
import io.annals.store.ConditionalAppender;
import io.annals.store.EventQuery;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.InvalidAppendException;
import io.annals.store.QueryItem;
import io.annals.store.QueryRead;
import io.annals.store.QueryReader;
import io.annals.store.ReadDirection;
import io.annals.store.WrongExpectedVersionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of tags, queries and append conditions across streams (the Dynamic Consistency
 * Boundary, {@code docs/adr/0008-append-conditions.md}) that every store keeps. Extend it in the
 * store's tests and return a fresh, empty store from {@link #createStore()}.
 *
 * <p>Beside the plain contract it runs the races that broke other stores: many writers
 * claiming one email, a course filled from many threads, writers on disjoint tags, and random
 * interleavings of conditional appends checked against the recorded history.
 */
public abstract class AppendConditionContractTest<S extends EventStore & ConditionalAppender & QueryReader> extends StoreContract<S> {


    private static EventData event(String type, Tag... tags) {
        return EventData.of(type, "{}").withTags(tags);
    }

    /** Every event matching {@code query} after {@code after}, and where the read ended. */
    private QueryRead readAll(EventQuery query, Position after) {
        var events = new ArrayList<RecordedEvent>();
        Position from = after;
        while (true) {
            QueryRead page = store.read(query, from, 3);
            events.addAll(page.events());
            from = page.scannedTo();
            if (page.events().size() < 3) {
                return new QueryRead(events, from);
            }
        }
    }

    private AppendResults appendIf(StreamId stream, EventData event, EventQuery query, Position after) {
        return store.append(Append.to(stream, ExpectedVersion.any(), List.of(event))
                .onlyIf(new AppendCondition(query, after)));
    }

    // ---- tags and queries ----

    @Test
    void tagsAreStoredAndReturnedByEveryRead() {
        Tag email = tag("email", "ada@example.com");
        Tag plan = tag("plan", "pro");
        StreamId user = stream("user");
        store.append(user, ExpectedVersion.noStream(), List.of(event("Registered", email, plan), event("Verified")));

        List<RecordedEvent> byStream = store.readStream(user, 0, ReadDirection.FORWARD, 10);
        assertThat(byStream).extracting(RecordedEvent::tags).containsExactly(Set.of(email, plan), Set.of());
        assertThat(store.readAll(Position.START, 1000)).filteredOn(e -> e.streamId().equals(user))
                .extracting(RecordedEvent::tags).containsExactly(Set.of(email, plan), Set.of());
        assertThat(readAll(EventQuery.tagged(email), Position.START).events())
                .singleElement().satisfies(e -> {
                    assertThat(e.type()).isEqualTo("Registered");
                    assertThat(e.tags()).containsExactlyInAnyOrder(email, plan);
                });
    }

    @Test
    void aQueryReadsMatchingEventsAcrossStreamsInGlobalOrder() {
        Tag course = tag("course", "c1");
        Tag ada = tag("student", "ada");
        Tag bob = tag("student", "bob");
        store.append(stream("course"), ExpectedVersion.any(), List.of(event("CourseDefined", course)));
        store.append(stream("ada"), ExpectedVersion.any(), List.of(event("Subscribed", course, ada)));
        store.append(stream("bob"), ExpectedVersion.any(), List.of(event("Subscribed", course, bob), event("Renamed", bob)));
        store.append(stream("other"), ExpectedVersion.any(), List.of(event("Subscribed", tag("course", "c2"), ada)));

        EventQuery subscriptionsOfC1 = EventQuery.of(Set.of("Subscribed"), Set.of(course));
        assertThat(readAll(subscriptionsOfC1, Position.START).events()).extracting(RecordedEvent::streamId)
                .containsExactly(stream("ada"), stream("bob"));

        EventQuery courseOrBob = EventQuery.of(QueryItem.of(Set.of("CourseDefined"), Set.of(course)), QueryItem.tagged(bob));
        List<RecordedEvent> matched = readAll(courseOrBob, Position.START).events();
        assertThat(matched).extracting(RecordedEvent::type).containsExactly("CourseDefined", "Subscribed", "Renamed");
        assertThat(matched).extracting(RecordedEvent::position).isSorted();
    }

    @Test
    void aShortPageEndsTheReadAndReadingOnFromItsEndFindsOnlyNewerEvents() {
        Tag t = tag("k", "v");
        store.append(stream("a"), ExpectedVersion.any(), List.of(event("E", t)));
        QueryRead first = store.read(EventQuery.tagged(t), Position.START, 10);
        assertThat(first.events()).hasSize(1);
        assertThat(first.scannedTo()).isGreaterThanOrEqualTo(first.events().getFirst().position());
        assertThat(store.read(EventQuery.tagged(t), first.scannedTo(), 10).events()).isEmpty();

        store.append(stream("b"), ExpectedVersion.any(), List.of(event("E", t)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(store.read(EventQuery.tagged(t), first.scannedTo(), 10).events())
                        .extracting(RecordedEvent::streamId).containsExactly(stream("b")));
    }

    // ---- conditions ----

    @Test
    void aConditionHoldsWhileNoMatchingEventFollowsItsPosition() {
        Tag email = tag("email", "ada@example.com");
        EventQuery query = EventQuery.tagged(email);
        QueryRead read = readAll(query, Position.START);
        assertThat(read.events()).isEmpty();

        store.append(stream("noise"), ExpectedVersion.any(), List.of(event("Registered", tag("email", "bob@example.com"))));
        AppendResults written = appendIf(stream("ada"), event("Registered", email), query, read.scannedTo());
        assertThat(written.streams()).singleElement().satisfies(r -> assertThat(r.nextExpectedVersion()).isZero());
    }

    @Test
    void aConditionFailsWhenAMatchingEventFollowsItsPositionAndNothingIsWritten() {
        Tag email = tag("email", "ada@example.com");
        EventQuery query = EventQuery.tagged(email);
        Position before = readAll(query, Position.START).scannedTo();
        store.append(stream("first"), ExpectedVersion.any(), List.of(event("Registered", email)));

        assertThatThrownBy(() -> store.append(Append.to(stream("second"), ExpectedVersion.noStream(), List.of(event("Registered", email)))
                .and(stream("log"), ExpectedVersion.any(), List.of(event("Attempted")))
                .onlyIf(new AppendCondition(query, before))))
                .isInstanceOfSatisfying(AppendConditionFailedException.class, failed -> {
                    assertThat(failed.condition().failIfEventsMatch()).isEqualTo(query);
                    assertThat(failed.isRetriable()).isTrue();
                });
        assertThat(store.readStream(stream("second"), 0, ReadDirection.FORWARD, 10)).isEmpty();
        assertThat(store.readStream(stream("log"), 0, ReadDirection.FORWARD, 10)).isEmpty();
        assertThat(readAll(query, Position.START).events()).hasSize(1);
    }

    @Test
    void aConditionOnNoMatchAtAllFailsOnceOneExists() {
        EventQuery query = EventQuery.of(Set.of("Registered"), Set.of(tag("email", "x@example.com")));
        store.append(stream("a"), ExpectedVersion.any(), List.of(event("Registered", tag("email", "x@example.com"))));
        assertThatThrownBy(() -> store.append(Append.to(stream("b"), ExpectedVersion.any(), List.of(event("Registered")))
                .onlyIf(AppendCondition.noneMatching(query))))
                .isInstanceOf(AppendConditionFailedException.class);
    }

    @Test
    void eventsOfOtherTypesOrMissingATagDoNotFailACondition() {
        Tag course = tag("course", "c1");
        Tag ada = tag("student", "ada");
        EventQuery query = EventQuery.of(Set.of("Subscribed"), Set.of(course, ada));
        Position before = readAll(query, Position.START).scannedTo();
        store.append(stream("x"), ExpectedVersion.any(), List.of(
                event("Unsubscribed", course, ada), event("Subscribed", course), event("Subscribed", ada)));

        appendIf(stream("ada"), event("Subscribed", course, ada), query, before);
        assertThat(readAll(query, Position.START).events()).hasSize(1);
    }

    @Test
    void anAppendToSeveralStreamsWritesAllOrNothing() {
        StreamId a = stream("a");
        StreamId b = stream("b");
        store.append(b, ExpectedVersion.any(), List.of(event("Existing")));

        assertThatThrownBy(() -> store.append(Append.to(a, ExpectedVersion.noStream(), List.of(event("A1"), event("A2")))
                .and(b, ExpectedVersion.noStream(), List.of(event("B1")))))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThat(store.readStream(a, 0, ReadDirection.FORWARD, 10)).isEmpty();

        AppendResults written = store.append(Append.to(a, ExpectedVersion.noStream(), List.of(event("A1"), event("A2")))
                .and(b, ExpectedVersion.exact(0), List.of(event("B1"))));
        assertThat(written.streams()).extracting(r -> r.nextExpectedVersion()).containsExactly(1L, 1L);
        assertThat(written.position()).isEqualTo(written.streams().stream().map(r -> r.position()).max(Position::compareTo).orElseThrow());
        assertThat(store.readStream(b, 0, ReadDirection.FORWARD, 10)).extracting(RecordedEvent::type).containsExactly("Existing", "B1");
    }

    @Test
    void retryingAWholeConditionalAppendWritesNothingAndAnswersAsTheFirstTime() {
        Tag email = tag("email", "ada@example.com");
        EventQuery query = EventQuery.tagged(email);
        Append append = Append.to(stream("ada"), ExpectedVersion.noStream(), List.of(event("Registered", email)))
                .onlyIf(new AppendCondition(query, readAll(query, Position.START).scannedTo()));
        AppendResults first = store.append(append);
        AppendResults again = store.append(append);
        assertThat(again.streams()).containsExactlyElementsOf(first.streams().stream().map(AppendResult::asRepeat).toList());
        assertThat(readAll(query, Position.START).events()).hasSize(1);
    }

    @Test
    void badConditionsAndAppendsAreRefusedBeforeAnythingIsWritten() {
        Position future = new Position(Long.MAX_VALUE >> 1, Long.MAX_VALUE >> 1);
        assertThatThrownBy(() -> appendIf(stream("a"), event("E", tag("k", "v")), EventQuery.tagged(tag("k", "v")), future))
                .isInstanceOf(InvalidAppendException.class)
                .hasMessageContaining("position");
        assertThatThrownBy(() -> store.append(Append.to(stream("a"), ExpectedVersion.any(), List.of())))
                .isInstanceOf(InvalidAppendException.class);
        assertThatThrownBy(() -> Append.to(stream("a"), ExpectedVersion.any(), List.of(event("E")))
                .and(stream("a"), ExpectedVersion.any(), List.of(event("E"))))
                .isInstanceOf(InvalidAppendException.class);
        assertThat(store.readStream(stream("a"), 0, ReadDirection.FORWARD, 10)).isEmpty();
    }

    // ---- races ----

    @Test
    void ofManyWritersClaimingOneEmailExactlyOneWins() throws Exception {
        Tag email = tag("email", "race@example.com");
        EventQuery query = EventQuery.tagged(email);
        int writers = 64;
        var ready = new CountDownLatch(writers);
        var start = new CountDownLatch(1);
        var wins = new AtomicInteger();
        var conflicts = new AtomicInteger();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                futures.add(threads.submit(() -> {
                    Position read = readAll(query, Position.START).scannedTo();
                    ready.countDown();
                    start.await();
                    try {
                        appendIf(stream("user-" + n), event("Registered", email), query, read);
                        wins.incrementAndGet();
                    } catch (AppendConditionFailedException expected) {
                        conflicts.incrementAndGet();
                    }
                    return null;
                }));
            }
            ready.await();
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        }
        assertThat(wins).hasValue(1);
        assertThat(conflicts).hasValue(writers - 1);
        assertThat(readAll(query, Position.START).events()).hasSize(1);
    }

    @Test
    void aCourseFilledFromManyThreadsTakesExactlyItsCapacity() throws Exception {
        int capacity = 10;
        int students = 50;
        Tag course = tag("course", "full");
        EventQuery subscriptions = EventQuery.of(Set.of("Subscribed"), Set.of(course));
        var next = new AtomicInteger();
        try (var threads = Executors.newFixedThreadPool(16)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < 16; t++) {
                futures.add(threads.submit(() -> {
                    for (int s = next.getAndIncrement(); s < students; s = next.getAndIncrement()) {
                        subscribe(course, subscriptions, capacity, tag("student", "s" + s), stream("student-" + s));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        assertThat(readAll(subscriptions, Position.START).events()).hasSize(capacity);
    }

    /** Decide on the course's subscriptions, append under their condition, and decide again after a conflict. */
    private void subscribe(Tag course, EventQuery subscriptions, int capacity, Tag student, StreamId studentStream) {
        while (true) {
            QueryRead taken = readAll(subscriptions, Position.START);
            if (taken.events().size() >= capacity) {
                return;
            }
            try {
                appendIf(studentStream, event("Subscribed", course, student), subscriptions, taken.scannedTo());
                return;
            } catch (AppendConditionFailedException conflict) {
                // someone else subscribed meanwhile: count again
            }
        }
    }

    @Test
    void writersOnDisjointTagsNeverConflict() throws Exception {
        int writers = 16;
        int appendsEach = 10;
        var conflicts = new AtomicInteger();
        try (var threads = Executors.newFixedThreadPool(writers)) {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                Tag own = tag("account", "a" + w);
                StreamId ownStream = stream("account-" + w);
                futures.add(threads.submit(() -> {
                    EventQuery query = EventQuery.tagged(own);
                    Position read = readAll(query, Position.START).scannedTo();
                    for (int i = 0; i < appendsEach; i++) {
                        try {
                            read = appendIf(ownStream, event("Deposited", own), query, read).position();
                        } catch (AppendConditionFailedException e) {
                            conflicts.incrementAndGet();
                            read = readAll(query, Position.START).scannedTo();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        assertThat(conflicts).hasValue(0);
        assertThat(store.readAll(Position.START, 10_000)).filteredOn(e -> e.type().equals("Deposited")
                && e.streamId().value().endsWith(runId)).hasSize(writers * appendsEach);
    }

    /**
     * Random interleavings of read-decide-append on a few shared tags. Afterwards the recorded
     * history is the oracle: no event that a successful append's condition excluded (matching,
     * after the condition's position, before the append) exists, and every refused append had
     * such an event to blame.
     */
    @Test
    void randomInterleavingsNeverRecordWhatAConditionExcluded() throws Exception {
        long seed = Long.getLong("annals.seed", System.nanoTime());
        var random = new Random(seed);
        List<Tag> tags = List.of(tag("t", "a"), tag("t", "b"), tag("t", "c"), tag("u", "a"));
        List<String> types = List.of("X", "Y");
        record Attempt(EventQuery query, Position after, Position written) {
        }
        var attempts = new CopyOnWriteArrayList<Attempt>();
        int threads = 8;
        int appendsEach = 15;
        var plans = new ArrayList<List<Step>>();
        for (int t = 0; t < threads; t++) {
            var steps = new ArrayList<Step>();
            for (int i = 0; i < appendsEach; i++) {
                steps.add(new Step(randomQuery(random, tags, types),
                        event(types.get(random.nextInt(types.size())), randomTags(random, tags).toArray(Tag[]::new)),
                        random.nextInt(3)));
            }
            plans.add(steps);
        }
        try (var pool = Executors.newFixedThreadPool(threads)) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                List<Step> steps = plans.get(t);
                StreamId own = stream("writer-" + t);
                futures.add(pool.submit(() -> {
                    for (Step step : steps) {
                        Position read = readAll(step.query(), Position.START).scannedTo();
                        for (int y = 0; y < step.yields(); y++) {
                            Thread.yield();
                        }
                        try {
                            Position written = appendIf(own, step.event(), step.query(), read).position();
                            attempts.add(new Attempt(step.query(), read, written));
                        } catch (AppendConditionFailedException refused) {
                            attempts.add(new Attempt(step.query(), read, null));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        List<RecordedEvent> history = store.readAll(Position.START, 100_000).stream()
                .filter(e -> e.streamId().value().endsWith(runId)).toList();
        assertThat(history).as("seed %d", seed).hasSize((int) attempts.stream().filter(a -> a.written() != null).count());
        for (Attempt attempt : attempts) {
            List<RecordedEvent> newerMatches = history.stream()
                    .filter(e -> e.position().isAfter(attempt.after()) && attempt.query().matches(e))
                    .toList();
            if (attempt.written() != null) {
                assertThat(newerMatches).as("seed %d: %s after %s written at %s", seed, attempt.query(), attempt.after(), attempt.written())
                        .allSatisfy(e -> assertThat(e.position()).isGreaterThanOrEqualTo(attempt.written()));
            } else {
                assertThat(newerMatches).as("seed %d: %s after %s was refused", seed, attempt.query(), attempt.after()).isNotEmpty();
            }
        }
    }

    private record Step(EventQuery query, EventData event, int yields) {
    }

    private static EventQuery randomQuery(Random random, List<Tag> tags, List<String> types) {
        var items = new ArrayList<QueryItem>();
        int count = 1 + random.nextInt(2);
        while (items.size() < count) {
            Set<Tag> itemTags = randomTags(random, tags);
            Set<String> itemTypes = new HashSet<>();
            if (itemTags.isEmpty() || random.nextBoolean()) {
                itemTypes.add(types.get(random.nextInt(types.size())));
            }
            if (itemTags.isEmpty() && random.nextInt(4) != 0) {
                itemTags = Set.of(tags.get(random.nextInt(tags.size())));
            }
            items.add(new QueryItem(itemTypes, itemTags));
        }
        return new EventQuery(items);
    }

    private static Set<Tag> randomTags(Random random, List<Tag> tags) {
        var chosen = new HashSet<Tag>();
        for (Tag tag : tags) {
            if (random.nextInt(3) == 0) {
                chosen.add(tag);
            }
        }
        return chosen;
    }
}
