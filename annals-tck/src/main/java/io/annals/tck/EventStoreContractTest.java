package io.annals.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.property.Draw;
import io.annals.property.Property;
import io.annals.store.AppendLimits;
import io.annals.store.AppendResult;
import io.annals.store.DeleteMode;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.EventStoreClosedException;
import io.annals.store.ExpectedVersion;
import io.annals.store.InvalidAppendException;
import io.annals.store.QueryRead;
import io.annals.store.ReadDirection;
import io.annals.store.StreamDeletedException;
import io.annals.store.StreamReader;
import io.annals.store.StreamState;
import io.annals.store.Subscription;
import io.annals.store.WrongExpectedVersionException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EventStore} implementation keeps. Extend it in your store's tests,
 * return a fresh, empty store, configured with {@link AppendLimits#DEFAULT}, from
 * {@link #createStore()}, and open it again on what it kept from {@link #reopenStore}.
 */
public abstract class EventStoreContractTest {

    /** A fresh, empty store with default limits; called before every test. */
    protected abstract EventStore createStore();

    /**
     * A store opened on what {@code closed} kept, after the suite closed it: for SQLite the same
     * file, for PostgreSQL the same schema, for the in-memory store the same memory. The contract
     * is that it finds everything that was acknowledged before the close.
     */
    protected abstract EventStore reopenStore(EventStore closed);

    /**
     * Whether the store's positions are {@code Position.of(1)}, {@code Position.of(2)}, ... in
     * commit order, without gaps (SQLite and the in-memory store). PostgreSQL's are not: they are
     * stamped with transaction ids (ADR 0003).
     */
    protected boolean densePositions() {
        return false;
    }

    /**
     * A fresh, empty store for one case of the model-based test. A store with options that
     * change how it works inside (SQLite: how often it indexes streams) draws them from
     * {@code draw}, so that the seed of a failing case reproduces them too.
     */
    protected EventStore createStoreFor(Draw draw) {
        return createStore();
    }

    protected EventStore store;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

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

    // ---- helpers ----

    /**
     * Waits for async work (subscriptions, PostgreSQL's global order) for up to 20 seconds,
     * looking at once and then every few milliseconds.
     */
    protected static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /** Closes the store and opens it again on what it kept. */
    protected void reopen() {
        store.close();
        store = reopenStore(store);
    }

    protected StreamId stream(String name) {
        return StreamId.of(name + "-" + runId);
    }

    protected static EventData event(String type) {
        return EventData.of(type, "{\"n\":" + System.nanoTime() + "}");
    }

    protected static List<EventData> events(int count) {
        return IntStream.range(0, count).mapToObj(i -> EventData.of("Numbered", "{\"i\":" + i + "}")).toList();
    }

    protected List<RecordedEvent> readForward(StreamId id) {
        return store.readStream(id, 0, ReadDirection.FORWARD, Integer.MAX_VALUE);
    }

    private List<RecordedEvent> readAllFromStart(EventFilter filter) {
        var result = new ArrayList<RecordedEvent>();
        Position position = Position.START;
        while (true) {
            List<RecordedEvent> page = store.readAll(position, 100, filter);
            result.addAll(page);
            if (page.size() < 100) {
                return result;
            }
            position = page.getLast().position();
        }
    }

    /**
     * Reads all matching events once at least {@code atLeast} of them are visible. A store may
     * publish an event to the global order a moment after its append returns (PostgreSQL holds
     * readers below the oldest running transaction), so tests wait instead of assuming
     * read-your-writes on the global order.
     */
    protected List<RecordedEvent> readAllVisible(EventFilter filter, int atLeast) {
        eventually().until(() -> readAllFromStart(filter).size() >= atLeast);
        return readAllFromStart(filter);
    }

    /** Reads all events once every one of {@code expected} is visible in the global order. */
    private List<RecordedEvent> readAllContaining(List<UUID> expected) {
        eventually().until(() -> ids(readAllFromStart(EventFilter.ALL)).containsAll(expected));
        return readAllFromStart(EventFilter.ALL);
    }

    protected static List<UUID> ids(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::eventId).toList();
    }

    protected static List<UUID> dataIds(List<EventData> events) {
        return events.stream().map(EventData::eventId).toList();
    }

    // ---- appending and reading one stream ----

    @Test
    void appendedEventsAreReadBackWithEverythingTheWriterGave() {
        StreamId id = stream("order");
        Instant occurred = Instant.parse("2024-02-29T12:00:00Z");
        var data = new EventData(UUID.randomUUID(), "OrderPlaced", "{\"total\":42,\"items\":[\"a\",\"b\"]}",
                new Metadata(java.util.Map.of(Metadata.CORRELATION_ID, "c-1", Metadata.CAUSATION_ID, "cmd-1")), occurred);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(1);

        AppendResult result = store.append(id, ExpectedVersion.noStream(), List.of(data));

        assertThat(result.nextExpectedVersion()).isZero();
        List<RecordedEvent> read = readForward(id);
        assertThat(read).hasSize(1);
        RecordedEvent recorded = read.getFirst();
        assertThat(recorded.streamId()).isEqualTo(id);
        assertThat(recorded.version()).isZero();
        assertThat(recorded.position()).isEqualTo(result.position());
        assertThat(recorded.eventId()).isEqualTo(data.eventId());
        assertThat(recorded.type()).isEqualTo("OrderPlaced");
        assertThat(recorded.data()).contains("\"total\"").contains("42").contains("\"items\"");
        assertThat(recorded.metadata().correlationId()).contains("c-1");
        assertThat(recorded.metadata().causationId()).contains("cmd-1");
        assertThat(recorded.occurredAt()).isEqualTo(occurred);
        assertThat(recorded.recordedAt()).isAfter(before).isBefore(Instant.now().plusSeconds(5));
    }

    @Test
    void occurredAtDefaultsToRecordedAt() {
        StreamId id = stream("clock");
        store.append(id, ExpectedVersion.any(), List.of(event("Ticked")));
        RecordedEvent recorded = readForward(id).getFirst();
        assertThat(recorded.occurredAt()).isEqualTo(recorded.recordedAt());
    }

    @Test
    void versionsAreConsecutiveFromZeroAcrossAppends() {
        StreamId id = stream("counter");
        store.append(id, ExpectedVersion.noStream(), events(3));
        AppendResult second = store.append(id, ExpectedVersion.exact(2), events(2));

        assertThat(second.nextExpectedVersion()).isEqualTo(4);
        assertThat(readForward(id)).extracting(RecordedEvent::version).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void readsForwardAndBackwardFromAVersionWithALimit() {
        StreamId id = stream("paged");
        List<EventData> written = events(10);
        store.append(id, ExpectedVersion.noStream(), written);

        assertThat(store.readStream(id, 3, ReadDirection.FORWARD, 4)).extracting(RecordedEvent::version)
                .containsExactly(3L, 4L, 5L, 6L);
        assertThat(store.readStream(id, 8, ReadDirection.FORWARD, 100)).extracting(RecordedEvent::version)
                .containsExactly(8L, 9L);
        assertThat(store.readStream(id, 6, ReadDirection.BACKWARD, 3)).extracting(RecordedEvent::version)
                .containsExactly(6L, 5L, 4L);
        assertThat(store.readStream(id, StreamReader.END, ReadDirection.BACKWARD, 2)).extracting(RecordedEvent::version)
                .containsExactly(9L, 8L);
        assertThat(store.readStream(id, 10, ReadDirection.FORWARD, 5)).isEmpty();
        assertThat(ids(readForward(id))).isEqualTo(dataIds(written));
    }

    @Test
    void unknownStreamReadsEmptyAndIsAbsent() {
        StreamId id = stream("nothing");
        assertThat(readForward(id)).isEmpty();
        assertThat(store.streamState(id)).isEqualTo(StreamState.absent());
    }

    @Test
    void streamStateReportsTheLastVersion() {
        StreamId id = stream("state");
        store.append(id, ExpectedVersion.any(), events(3));
        assertThat(store.streamState(id)).isEqualTo(StreamState.active(2));
    }

    // ---- expected versions ----

    @Nested
    class ExpectedVersions {

        @Test
        void anyAppendsToNewAndExistingStreams() {
            StreamId id = stream("any");
            store.append(id, ExpectedVersion.any(), events(1));
            assertThat(store.append(id, ExpectedVersion.any(), events(1)).nextExpectedVersion()).isEqualTo(1);
        }

        @Test
        void noStreamSucceedsOnlyForANewStream() {
            StreamId id = stream("fresh");
            store.append(id, ExpectedVersion.noStream(), events(1));

            assertThatThrownBy(() -> store.append(id, ExpectedVersion.noStream(), events(1)))
                    .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                        assertThat(e.actualVersion()).isZero();
                        assertThat(e.streamId()).isEqualTo(id);
                    });
            assertThat(readForward(id)).hasSize(1);
        }

        @Test
        void streamExistsFailsForANewStream() {
            StreamId id = stream("exists");
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.streamExists(), events(1)))
                    .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actualVersion()).isEqualTo(-1));
            store.append(id, ExpectedVersion.any(), events(1));
            assertThat(store.append(id, ExpectedVersion.streamExists(), events(1)).nextExpectedVersion()).isEqualTo(1);
        }

        @Test
        void exactMustMatchTheLastVersion() {
            StreamId id = stream("exact");
            store.append(id, ExpectedVersion.noStream(), events(2));

            assertThatThrownBy(() -> store.append(id, ExpectedVersion.exact(0), events(1)))
                    .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actualVersion()).isEqualTo(1));
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.exact(5), events(1)))
                    .isInstanceOf(WrongExpectedVersionException.class);
            assertThat(store.append(id, ExpectedVersion.exact(1), events(1)).nextExpectedVersion()).isEqualTo(2);
        }

        @Test
        void exactFailsForANewStream() {
            StreamId id = stream("exact-new");
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.exact(0), events(1)))
                    .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actualVersion()).isEqualTo(-1));
            assertThat(store.streamState(id)).isEqualTo(StreamState.absent());
        }
    }

    // ---- idempotence ----

    @Nested
    class Idempotence {

        @Test
        void reAppendingTheSameEventIdsReturnsTheFirstResultAndWritesNothing() {
            StreamId id = stream("retry");
            List<EventData> batch = events(3);
            AppendResult first = store.append(id, ExpectedVersion.noStream(), batch);

            AppendResult again = store.append(id, ExpectedVersion.noStream(), batch);

            assertThat(first.repeated()).isFalse();
            assertThat(again).isEqualTo(first.asRepeat());
            assertThat(readForward(id)).hasSize(3);
            assertThat(readAllVisible(EventFilter.streamPrefix(id.value()), 3)).hasSize(3);
        }

        @Test
        void aRetryOfAnEarlierAppendReturnsThatAppendsResultEvenAfterLaterWrites() {
            StreamId id = stream("late-retry");
            List<EventData> firstBatch = events(2);
            AppendResult first = store.append(id, ExpectedVersion.noStream(), firstBatch);
            store.append(id, ExpectedVersion.exact(1), events(2));

            assertThat(store.append(id, ExpectedVersion.exact(1), firstBatch)).isEqualTo(first.asRepeat());
            assertThat(readForward(id)).hasSize(4);
        }

        @Test
        void aRetryWithAnyExpectedVersionIsAlsoANoOp() {
            StreamId id = stream("retry-any");
            List<EventData> batch = events(1);
            AppendResult first = store.append(id, ExpectedVersion.any(), batch);
            assertThat(store.append(id, ExpectedVersion.any(), batch)).isEqualTo(first.asRepeat());
            assertThat(readForward(id)).hasSize(1);
        }

        @Test
        void reusingAnEventIdInADifferentAppendIsRefusedAndWritesNothing() {
            StreamId id = stream("reuse");
            List<EventData> batch = events(2);
            store.append(id, ExpectedVersion.noStream(), batch);

            var mixed = List.of(event("New"), batch.get(1));
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), mixed)).isInstanceOf(DuplicateEventException.class);
            var partial = List.of(batch.get(1), event("New"));
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), partial)).isInstanceOf(DuplicateEventException.class);
            assertThat(readForward(id)).hasSize(2);
        }

        @Test
        void aRunOfStoredEventsSentAgainIsARetryOfThemAndAnythingElseWithTheirIdsIsADuplicate() {
            StreamId id = stream("subset");
            List<EventData> batch = events(3);
            store.append(id, ExpectedVersion.noStream(), batch);
            List<RecordedEvent> stored = readForward(id);

            // lenient, as KurrentDB: consecutive stored events, in order, answer as their own append did
            assertThat(store.append(id, ExpectedVersion.any(), batch.subList(0, 2)))
                    .isEqualTo(new AppendResult(1, stored.get(1).position(), true));
            assertThat(store.append(id, ExpectedVersion.any(), batch.subList(1, 3)))
                    .isEqualTo(new AppendResult(2, stored.get(2).position(), true));
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), List.of(batch.get(0), batch.get(2))))
                    .isInstanceOf(DuplicateEventException.class);
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), List.of(batch.get(2), batch.get(1))))
                    .isInstanceOf(DuplicateEventException.class);
            assertThat(readForward(id)).hasSize(3);
        }

        @Test
        void aRetryIsRecognisedByItsEventsWhateverItsExpectedVersionSays() {
            StreamId id = stream("lenient");
            List<EventData> batch = events(2);
            AppendResult first = store.append(id, ExpectedVersion.noStream(), batch);

            // the first attempt passed its check; its retry answers the same, as documented
            assertThat(store.append(id, ExpectedVersion.exact(41), batch)).isEqualTo(first.asRepeat());
            assertThat(store.append(id, ExpectedVersion.streamExists(), batch)).isEqualTo(first.asRepeat());
            assertThat(readForward(id)).hasSize(2);
        }

        @Test
        void theSameEventIdMayAppearInDifferentStreams() {
            EventData shared = event("Shared");
            store.append(stream("left"), ExpectedVersion.any(), List.of(shared));
            store.append(stream("right"), ExpectedVersion.any(), List.of(shared));
            assertThat(readForward(stream("right"))).hasSize(1);
        }
    }

    // ---- bad input ----

    @Nested
    class BadInput {

        @Test
        void anEmptyAppendIsRefused() {
            StreamId id = stream("empty");
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), List.of())).isInstanceOf(InvalidAppendException.class);
            assertThat(store.streamState(id)).isEqualTo(StreamState.absent());
        }

        @Test
        void invalidStreamIdsAreRefusedBeforeTheyReachTheStore() {
            for (String invalid : List.of("", " ", "a b", "x'; DROP TABLE events; --", "$all", "ü", "a".repeat(StreamId.MAX_LENGTH + 1))) {
                assertThatThrownBy(() -> StreamId.of(invalid)).as(invalid).isInstanceOf(IllegalArgumentException.class);
            }
        }

        @Test
        void anOversizedEventIsRefusedAndNothingOfItsAppendIsWritten() {
            StreamId id = stream("huge");
            String big = "{\"blob\":\"" + "x".repeat(AppendLimits.DEFAULT.maxEventBytes()) + "\"}";
            var batch = List.of(event("Small"), EventData.of("Huge", big));

            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), batch))
                    .isInstanceOf(InvalidAppendException.class).hasMessageContaining("limit");
            assertThat(store.streamState(id)).isEqualTo(StreamState.absent());
        }

        @Test
        void invalidJsonDataIsRefused() {
            StreamId id = stream("json");
            for (String bad : List.of("not json", "{\"open\":", "42", "{} {}", "{\"nul\":\"\\u0000\"}")) {
                assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), List.of(EventData.of("Bad", bad))))
                        .as(bad).isInstanceOf(InvalidAppendException.class);
            }
            assertThat(store.streamState(id)).isEqualTo(StreamState.absent());
        }

        @Test
        void duplicateEventIdsWithinOneAppendAreRefused() {
            StreamId id = stream("twice");
            EventData once = event("Once");
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), List.of(once, once)))
                    .isInstanceOf(InvalidAppendException.class);
            assertThat(store.streamState(id)).isEqualTo(StreamState.absent());
        }

        @Test
        void unicodeAndEscapesSurviveTheRoundTrip() {
            StreamId id = stream("unicode");
            String data = "{\"name\":\"Jürgen 🙂 \\\"quoted\\\" \\n 한국어\",\"sql\":\"'; DROP TABLE x; --\"}";
            store.append(id, ExpectedVersion.any(), List.of(EventData.of("Named", data)));
            String read = readForward(id).getFirst().data();
            assertThat(read).contains("Jürgen 🙂").contains("한국어").contains("DROP TABLE x");
        }
    }

    // ---- atomicity ----

    @Test
    void aFailedAppendWritesNoneOfItsEvents() {
        StreamId id = stream("atomic");
        store.append(id, ExpectedVersion.noStream(), events(1));

        assertThatThrownBy(() -> store.append(id, ExpectedVersion.noStream(), events(5)))
                .isInstanceOf(WrongExpectedVersionException.class);

        assertThat(readForward(id)).hasSize(1);
        assertThat(readAllVisible(EventFilter.streamPrefix(id.value()), 1)).hasSize(1);
    }

    @Test
    void aManyEventAppendIsContiguousInTheGlobalOrder() {
        StreamId id = stream("contiguous");
        List<EventData> batch = events(50);
        store.append(id, ExpectedVersion.any(), batch);
        List<RecordedEvent> all = readAllContaining(dataIds(batch));
        int first = ids(all).indexOf(batch.getFirst().eventId());
        assertThat(ids(all.subList(first, first + 50))).isEqualTo(dataIds(batch));
    }

    // ---- reading all events ----

    @Nested
    class ReadingAll {

        @Test
        void readsEveryEventInAppendOrderWithIncreasingPositions() {
            var expected = new ArrayList<UUID>();
            for (int i = 0; i < 5; i++) {
                for (String name : List.of("a", "b")) {
                    List<EventData> batch = events(3);
                    store.append(stream(name), ExpectedVersion.any(), batch);
                    expected.addAll(dataIds(batch));
                }
            }
            List<RecordedEvent> all = readAllContaining(expected);
            assertThat(ids(all)).containsSubsequence(expected);
            assertThat(ids(all).stream().filter(expected::contains).toList()).isEqualTo(expected);
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).position()).isGreaterThan(all.get(i - 1).position());
            }
        }

        @Test
        void pagingFromTheLastPositionSeesEachEventOnce() {
            store.append(stream("pages"), ExpectedVersion.any(), events(25));
            readAllVisible(EventFilter.streamPrefix(stream("pages").value()), 25);
            var seen = new ArrayList<RecordedEvent>();
            Position position = Position.START;
            List<RecordedEvent> page;
            do {
                page = store.readAll(position, 7, EventFilter.ALL);
                assertThat(page.size()).isLessThanOrEqualTo(7);
                seen.addAll(page);
                if (!page.isEmpty()) {
                    position = page.getLast().position();
                }
            } while (!page.isEmpty());
            assertThat(new HashSet<>(ids(seen))).hasSize(seen.size());
            assertThat(seen).filteredOn(e -> e.streamId().equals(stream("pages"))).hasSize(25);
        }

        @Test
        void readsAfterAPositionExclusively() {
            AppendResult first = store.append(stream("after"), ExpectedVersion.any(), events(1));
            List<EventData> later = events(2);
            store.append(stream("after"), ExpectedVersion.any(), later);
            readAllContaining(dataIds(later));
            assertThat(ids(store.readAll(first.position(), 10, EventFilter.streamPrefix(stream("after").value()))))
                    .isEqualTo(dataIds(later));
        }

        @Test
        void positionTokensRoundTrip() {
            AppendResult result = store.append(stream("token"), ExpectedVersion.any(), events(1));
            assertThat(Position.parse(result.position().toString())).isEqualTo(result.position());
        }

        @Test
        void filtersByEventType() {
            StreamId id = stream("typed");
            store.append(id, ExpectedVersion.any(), List.of(event("Keep"), event("Drop"), event("Other"), event("Keep")));
            List<RecordedEvent> read = readAllVisible(new EventFilter(Set.of("Keep", "Other"), id.value()), 3);
            assertThat(read).extracting(RecordedEvent::type).containsExactly("Keep", "Other", "Keep");
        }

        @Test
        void filtersByStreamPrefix() {
            String prefix = "tenant" + runId.replace("-", "");
            store.append(StreamId.of(prefix + "-a"), ExpectedVersion.any(), events(2));
            store.append(stream("elsewhere"), ExpectedVersion.any(), events(2));
            store.append(StreamId.of(prefix + "-b"), ExpectedVersion.any(), events(1));
            List<RecordedEvent> read = readAllVisible(EventFilter.streamPrefix(prefix), 3);
            assertThat(read).hasSize(3).allSatisfy(e -> assertThat(e.streamId().value()).startsWith(prefix));
        }

        @Test
        void aFilterPagesPastManyNonMatchingEvents() {
            StreamId id = stream("sparse");
            var batch = new ArrayList<EventData>();
            for (int i = 0; i < 300; i++) {
                batch.add(i % 100 == 99 ? event("Rare") : event("Common"));
            }
            store.append(id, ExpectedVersion.any(), batch);
            assertThat(readAllVisible(new EventFilter(Set.of("Rare"), id.value()), 3)).hasSize(3);
        }

        @Test
        void aFilteredReadSaysHowFarItLookedSoThatPollingForARareTypeMovesOn() {
            StreamId id = stream("scanned");
            var rare = new EventFilter(Set.of("Rare"), id.value());
            var common = new EventFilter(Set.of("Common"), id.value());
            AppendResult written = store.append(id, ExpectedVersion.any(),
                    List.of(event("Common"), event("Rare"), event("Common"), event("Common")));
            eventually().until(() -> store.headPosition().compareTo(written.position()) >= 0);

            QueryRead shortPage = store.readAllScanned(Position.START, 10, rare);
            assertThat(shortPage.events()).extracting(RecordedEvent::type).containsExactly("Rare");
            assertThat(shortPage.scannedTo()).isGreaterThanOrEqualTo(written.position());

            QueryRead nothing = store.readAllScanned(shortPage.scannedTo(), 10, rare);
            assertThat(nothing.events()).isEmpty();
            assertThat(nothing.scannedTo()).isGreaterThanOrEqualTo(shortPage.scannedTo());

            QueryRead fullPage = store.readAllScanned(Position.START, 2, common);
            assertThat(fullPage.events()).hasSize(2);
            assertThat(fullPage.scannedTo()).isEqualTo(fullPage.events().getLast().position());

            AppendResult later = store.append(id, ExpectedVersion.any(), List.of(event("Rare")));
            eventually().until(() -> store.headPosition().compareTo(later.position()) >= 0);
            QueryRead next = store.readAllScanned(nothing.scannedTo(), 10, rare);
            assertThat(next.events()).extracting(RecordedEvent::position).containsExactly(later.position());
        }
    }

    // ---- deletes ----

    @Nested
    class Deletes {

        @Test
        void softDeleteHidesTheStreamAndLetsItBeWrittenAgainFromTheNextVersion() {
            StreamId id = stream("soft");
            store.append(id, ExpectedVersion.noStream(), events(3));

            store.delete(id, ExpectedVersion.exact(2), DeleteMode.SOFT);

            assertThat(readForward(id)).isEmpty();
            assertThat(store.streamState(id)).isEqualTo(StreamState.absent());
            AppendResult again = store.append(id, ExpectedVersion.noStream(), events(1));
            assertThat(again.nextExpectedVersion()).isEqualTo(3);
            assertThat(readForward(id)).extracting(RecordedEvent::version).containsExactly(3L);
            assertThat(store.streamState(id)).isEqualTo(StreamState.active(3));
        }

        @Test
        void softDeletedEventsStayInTheGlobalLog() {
            StreamId id = stream("audit");
            store.append(id, ExpectedVersion.any(), events(2));
            store.delete(id, ExpectedVersion.any(), DeleteMode.SOFT);
            assertThat(readAllVisible(EventFilter.streamPrefix(id.value()), 2)).hasSize(2);
        }

        @Test
        void hardDeleteTombstonesTheStreamForEver() {
            StreamId id = stream("hard");
            store.append(id, ExpectedVersion.noStream(), events(2));

            store.delete(id, ExpectedVersion.any(), DeleteMode.HARD);

            assertThat(store.streamState(id)).isEqualTo(StreamState.tombstoned());
            assertThatThrownBy(() -> readForward(id)).isInstanceOf(StreamDeletedException.class);
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), events(1))).isInstanceOf(StreamDeletedException.class);
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.noStream(), events(1))).isInstanceOf(StreamDeletedException.class);
            assertThatThrownBy(() -> store.delete(id, ExpectedVersion.any(), DeleteMode.SOFT)).isInstanceOf(StreamDeletedException.class);
        }

        @Test
        void deleteChecksTheExpectedVersion() {
            StreamId id = stream("guarded");
            store.append(id, ExpectedVersion.noStream(), events(2));
            assertThatThrownBy(() -> store.delete(id, ExpectedVersion.exact(0), DeleteMode.HARD))
                    .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actualVersion()).isEqualTo(1));
            assertThat(readForward(id)).hasSize(2);
        }
    }

    // ---- subscriptions ----

    @Nested
    class Subscriptions {

        @Test
        void subscriptionToAllCatchesUpThenGoesLiveWithoutGapOrDuplicate() {
            String prefix = "sub" + runId.replace("-", "");
            var expected = new ArrayList<UUID>();
            for (int i = 0; i < 5; i++) {
                List<EventData> batch = events(20);
                store.append(StreamId.of(prefix + "-" + i), ExpectedVersion.any(), batch);
                expected.addAll(dataIds(batch));
            }
            var received = new CopyOnWriteArrayList<RecordedEvent>();
            try (Subscription subscription = store.subscribeToAll(Position.START, EventFilter.streamPrefix(prefix), received::add)) {
                eventually().until(() -> received.size() == 100);
                eventually().until(subscription::isLive);
                for (int i = 0; i < 5; i++) {
                    List<EventData> batch = events(7);
                    store.append(StreamId.of(prefix + "-live" + i), ExpectedVersion.any(), batch);
                    expected.addAll(dataIds(batch));
                }
                eventually().until(() -> received.size() >= expected.size());
                assertThat(ids(received)).isEqualTo(expected);
                assertThat(subscription.position()).isEqualTo(received.getLast().position());
                assertThat(subscription.isRunning()).isTrue();
            }
        }

        @Test
        void subscriptionCatchesUpAndGoesLiveWhileWritersAreAppending() throws Exception {
            String prefix = "race" + runId.replace("-", "");
            var received = new CopyOnWriteArrayList<RecordedEvent>();
            var appended = Collections.synchronizedList(new ArrayList<UUID>());
            store.append(StreamId.of(prefix + "-seed"), ExpectedVersion.any(), events(30)).position();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                var start = new CountDownLatch(1);
                var futures = new ArrayList<Future<?>>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    futures.add(executor.submit(() -> {
                        start.await();
                        for (int i = 0; i < 25; i++) {
                            EventData e = event("Raced");
                            store.append(StreamId.of(prefix + "-w" + writer), ExpectedVersion.any(), List.of(e));
                            appended.add(e.eventId());
                        }
                        return null;
                    }));
                }
                try (Subscription subscription = store.subscribeToAll(Position.START, EventFilter.streamPrefix(prefix), received::add)) {
                    start.countDown();
                    for (Future<?> future : futures) {
                        future.get();
                    }
                    eventually().until(() -> received.size() >= 130);
                    assertThat(subscription.isRunning()).isTrue();
                }
            }
            assertThat(received).hasSize(130);
            assertThat(new HashSet<>(ids(received))).hasSize(130).containsAll(appended);
            for (int i = 1; i < received.size(); i++) {
                assertThat(received.get(i).position()).isGreaterThan(received.get(i - 1).position());
            }
        }

        @Test
        void subscriptionToAllStartsAfterTheGivenPosition() {
            StreamId id = stream("resume");
            AppendResult first = store.append(id, ExpectedVersion.any(), events(3));
            List<EventData> later = events(2);
            store.append(id, ExpectedVersion.any(), later);
            var received = new CopyOnWriteArrayList<RecordedEvent>();
            try (Subscription ignored = store.subscribeToAll(first.position(), EventFilter.streamPrefix(id.value()), received::add)) {
                eventually().until(() -> received.size() == 2);
            }
            assertThat(ids(received)).isEqualTo(dataIds(later));
        }

        @Test
        void subscriptionToOneStreamDeliversOnlyItsEventsInVersionOrder() {
            StreamId id = stream("watched");
            store.append(id, ExpectedVersion.any(), events(3));
            store.append(stream("ignored"), ExpectedVersion.any(), events(3));
            var received = new CopyOnWriteArrayList<RecordedEvent>();
            try (Subscription ignored = store.subscribeToStream(id, 0, received::add)) {
                eventually().until(() -> received.size() == 2);
                store.append(id, ExpectedVersion.any(), events(2));
                store.append(stream("ignored"), ExpectedVersion.any(), events(2));
                eventually().until(() -> received.size() == 4);
            }
            assertThat(received).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L, 4L);
            assertThat(received).allSatisfy(e -> assertThat(e.streamId()).isEqualTo(id));
        }

        @Test
        void aFailingHandlerStopsItsSubscriptionAndReportsWhy() {
            StreamId id = stream("failing");
            store.append(id, ExpectedVersion.any(), events(3));
            var calls = new AtomicInteger();
            Subscription subscription = store.subscribeToAll(Position.START, EventFilter.streamPrefix(id.value()), e -> {
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
            StreamId id = stream("closed");
            var received = new CopyOnWriteArrayList<RecordedEvent>();
            Subscription subscription = store.subscribeToAll(Position.START, EventFilter.streamPrefix(id.value()), received::add);
            store.append(id, ExpectedVersion.any(), events(1));
            eventually().until(() -> received.size() == 1);
            subscription.close();
            assertThat(subscription.isRunning()).isFalse();
            store.append(id, ExpectedVersion.any(), events(3));
            // a later subscription sees all four, so the store delivered them; the closed one must not have
            var control = new CopyOnWriteArrayList<RecordedEvent>();
            try (Subscription ignored = store.subscribeToAll(Position.START, EventFilter.streamPrefix(id.value()), control::add)) {
                eventually().until(() -> control.size() == 4);
            }
            assertThat(received).hasSize(1);
        }
    }

    // ---- subscriptions across deletes ----

    @Nested
    class SubscriptionsAcrossDeletes {

        @Test
        void aSubscriptionToAllDeliversTheEventsOfSoftAndHardDeletedStreamsAndNothingForTheDeletes() {
            String prefix = stream("deleting").value();
            StreamId soft = StreamId.of(prefix + "-soft");
            StreamId hard = StreamId.of(prefix + "-hard");
            var expected = new ArrayList<UUID>();
            for (StreamId id : List.of(soft, hard)) {
                List<EventData> batch = events(2);
                store.append(id, ExpectedVersion.noStream(), batch);
                expected.addAll(dataIds(batch));
            }
            var live = new CopyOnWriteArrayList<RecordedEvent>();
            try (Subscription subscription = store.subscribeToAll(Position.START, EventFilter.streamPrefix(prefix), live::add)) {
                eventually().until(() -> live.size() == 4);
                store.delete(soft, ExpectedVersion.exact(1), DeleteMode.SOFT);
                store.delete(hard, ExpectedVersion.exact(1), DeleteMode.HARD);
                List<EventData> after = events(1);
                store.append(soft, ExpectedVersion.noStream(), after);
                expected.addAll(dataIds(after));
                eventually().until(() -> live.size() >= 5);
                assertThat(subscription.isRunning()).isTrue();
            }
            assertThat(ids(live)).isEqualTo(expected);
            assertThat(live).filteredOn(e -> e.streamId().equals(soft)).extracting(RecordedEvent::version)
                    .containsExactly(0L, 1L, 2L);

            var later = new CopyOnWriteArrayList<RecordedEvent>();
            try (Subscription ignored = store.subscribeToAll(Position.START, EventFilter.streamPrefix(prefix), later::add)) {
                eventually().until(() -> later.size() >= 5);
            }
            assertThat(later).isEqualTo(live);
        }

        @Test
        void aStreamSubscriptionGoesOnAcrossASoftDeleteWithTheNextVersions() {
            StreamId id = stream("soft-followed");
            store.append(id, ExpectedVersion.noStream(), events(3));
            var live = new CopyOnWriteArrayList<RecordedEvent>();
            try (Subscription subscription = store.subscribeToStream(id, -1, live::add)) {
                eventually().until(() -> live.size() == 3);
                store.delete(id, ExpectedVersion.exact(2), DeleteMode.SOFT);
                store.append(id, ExpectedVersion.noStream(), events(2));
                eventually().until(() -> live.size() >= 5);
                assertThat(subscription.isRunning()).isTrue();
            }
            assertThat(live).extracting(RecordedEvent::version).containsExactly(0L, 1L, 2L, 3L, 4L);

            // one that starts after the delete sees only what was written since
            var later = new CopyOnWriteArrayList<RecordedEvent>();
            try (Subscription subscription = store.subscribeToStream(id, -1, later::add)) {
                eventually().until(subscription::isLive);
                eventually().until(() -> later.size() >= 2);
            }
            assertThat(later).extracting(RecordedEvent::version).containsExactly(3L, 4L);
        }

        @Test
        void aStreamSubscriptionEndsWithStreamDeletedExceptionWhenItsStreamIsHardDeleted() {
            StreamId id = stream("hard-followed");
            store.append(id, ExpectedVersion.noStream(), events(2));
            var live = new CopyOnWriteArrayList<RecordedEvent>();
            Subscription subscription = store.subscribeToStream(id, -1, live::add);
            try {
                eventually().until(() -> live.size() == 2);
                store.delete(id, ExpectedVersion.exact(1), DeleteMode.HARD);
                // a delete is no event: an append elsewhere is what wakes subscriptions soonest
                store.append(stream("elsewhere"), ExpectedVersion.any(), events(1));
                eventually().until(() -> !subscription.isRunning());
                assertThat(subscription.failure()).get().isInstanceOf(StreamDeletedException.class);
                assertThat(live).hasSize(2);
            } finally {
                subscription.close();
            }

            Subscription afterwards = store.subscribeToStream(id, -1, live::add);
            try {
                eventually().until(() -> !afterwards.isRunning());
                assertThat(afterwards.failure()).get().isInstanceOf(StreamDeletedException.class);
                assertThat(live).hasSize(2);
            } finally {
                afterwards.close();
            }
        }
    }

    // ---- reopening ----

    @Nested
    class Reopening {

        @Test
        void everythingAcknowledgedReadsTheSameAfterReopeningAndWritingGoesOnWhereItStopped() {
            String prefix = stream("reopened").value();
            StreamId kept = StreamId.of(prefix + "-kept");
            StreamId soft = StreamId.of(prefix + "-soft");
            StreamId hard = StreamId.of(prefix + "-hard");
            List<EventData> first = events(3);
            AppendResult firstResult = store.append(kept, ExpectedVersion.noStream(), first);
            store.append(soft, ExpectedVersion.noStream(), events(2));
            store.append(hard, ExpectedVersion.noStream(), events(1));
            store.delete(soft, ExpectedVersion.exact(1), DeleteMode.SOFT);
            AppendResult last = store.append(kept, ExpectedVersion.exact(2), events(1));
            store.delete(hard, ExpectedVersion.any(), DeleteMode.HARD);
            List<RecordedEvent> allBefore = readAllVisible(EventFilter.streamPrefix(prefix), 7);
            List<RecordedEvent> keptBefore = readForward(kept);

            reopen();

            assertThat(readAllVisible(EventFilter.streamPrefix(prefix), 7)).isEqualTo(allBefore);
            assertThat(readForward(kept)).isEqualTo(keptBefore);
            assertThat(store.streamState(kept)).isEqualTo(StreamState.active(3));
            assertThat(store.streamState(soft)).isEqualTo(StreamState.absent());
            assertThat(readForward(soft)).isEmpty();
            assertThat(store.streamState(hard)).isEqualTo(StreamState.tombstoned());
            assertThatThrownBy(() -> readForward(hard)).isInstanceOf(StreamDeletedException.class);
            assertThatThrownBy(() -> store.append(hard, ExpectedVersion.any(), events(1))).isInstanceOf(StreamDeletedException.class);

            assertThat(store.append(soft, ExpectedVersion.noStream(), events(1)).nextExpectedVersion()).isEqualTo(2);
            AppendResult next = store.append(kept, ExpectedVersion.exact(3), events(1));
            assertThat(next.nextExpectedVersion()).isEqualTo(4);
            assertThat(next.position()).isGreaterThan(last.position());
            if (densePositions()) {
                assertThat(next.position()).isEqualTo(Position.of(last.position().sequence() + 2));
            }
            assertThat(store.append(kept, ExpectedVersion.noStream(), first)).isEqualTo(firstResult.asRepeat());
        }

        @Test
        void retriesAndDuplicatesAreRecognisedAfterReopening() {
            StreamId id = stream("restart");
            List<EventData> first = events(3);
            List<EventData> second = events(2);
            AppendResult firstResult = store.append(id, ExpectedVersion.noStream(), first);
            store.append(id, ExpectedVersion.exact(2), second);

            reopen();

            assertThat(store.append(id, ExpectedVersion.noStream(), first)).isEqualTo(firstResult.asRepeat());
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), List.of(event("New"), second.get(1))))
                    .isInstanceOf(DuplicateEventException.class);
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), List.of(first.get(1), first.get(0))))
                    .isInstanceOf(DuplicateEventException.class);
            assertThat(store.append(id, ExpectedVersion.exact(4), events(1)).nextExpectedVersion()).isEqualTo(5);
            assertThat(readForward(id)).hasSize(6);
        }

        @Test
        void appendsRacingTheCloseAreEitherAcknowledgedAndKeptOrRefusedAsClosed() throws Exception {
            String prefix = stream("racing").value();
            int writers = 8;
            var acknowledged = new ArrayList<List<UUID>>();
            for (int w = 0; w < writers; w++) {
                acknowledged.add(Collections.synchronizedList(new ArrayList<>()));
            }
            var total = new AtomicInteger();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                var futures = new ArrayList<Future<?>>();
                for (int w = 0; w < writers; w++) {
                    StreamId id = StreamId.of(prefix + "-" + w);
                    List<UUID> mine = acknowledged.get(w);
                    futures.add(executor.submit(() -> {
                        try {
                            while (true) {
                                EventData e = event("Raced");
                                store.append(id, ExpectedVersion.after(mine.size() - 1L), List.of(e));
                                mine.add(e.eventId());
                                total.incrementAndGet();
                            }
                        } catch (EventStoreClosedException closed) {
                            return null;
                        }
                    }));
                }
                eventually().atMost(Duration.ofSeconds(30)).until(() -> total.get() >= 200);
                store.close();
                for (Future<?> future : futures) {
                    future.get();
                }
            }
            store = reopenStore(store);
            for (int w = 0; w < writers; w++) {
                assertThat(ids(readForward(StreamId.of(prefix + "-" + w)))).as("writer %d", w).isEqualTo(acknowledged.get(w));
            }
        }
    }

    // ---- after close ----

    @Nested
    class AfterClose {

        @Test
        void everyCallOnAClosedStoreThrowsEventStoreClosedException() {
            StreamId id = stream("closed-store");
            store.append(id, ExpectedVersion.noStream(), events(1));
            store.close();

            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), events(1))).isInstanceOf(EventStoreClosedException.class);
            assertThatThrownBy(() -> readForward(id)).isInstanceOf(EventStoreClosedException.class);
            assertThatThrownBy(() -> store.streamState(id)).isInstanceOf(EventStoreClosedException.class);
            assertThatThrownBy(() -> store.readAll(Position.START, 10, EventFilter.ALL)).isInstanceOf(EventStoreClosedException.class);
            assertThatThrownBy(() -> store.delete(id, ExpectedVersion.any(), DeleteMode.SOFT)).isInstanceOf(EventStoreClosedException.class);
            assertThatThrownBy(() -> store.subscribeToAll(Position.START, EventFilter.ALL, e -> { }))
                    .isInstanceOf(EventStoreClosedException.class);
            assertThatThrownBy(() -> store.subscribeToStream(id, -1, e -> { })).isInstanceOf(EventStoreClosedException.class);
            store.close(); // closing again is harmless
            assertThat(new EventStoreClosedException("closed").isRetriable()).isFalse();
        }

        @Test
        void closingTheStoreEndsItsSubscriptionsWithoutAFailure() {
            StreamId id = stream("ended");
            store.append(id, ExpectedVersion.noStream(), events(1));
            var received = new CopyOnWriteArrayList<RecordedEvent>();
            Subscription all = store.subscribeToAll(Position.START, EventFilter.streamPrefix(id.value()), received::add);
            Subscription one = store.subscribeToStream(id, -1, received::add);
            eventually().until(() -> all.isLive() && one.isLive() && received.size() == 2);

            store.close();

            assertThat(all.isRunning()).isFalse();
            assertThat(one.isRunning()).isFalse();
            assertThat(all.failure()).isEmpty();
            assertThat(one.failure()).isEmpty();
            assertThat(received).hasSize(2);
        }
    }

    // ---- the model ----

    /**
     * Any sequence of appends (new, retried, partly duplicated), expected versions, deletes and
     * reopens gets the same answers, versions and places in the global order from the store as
     * from {@link ReferenceModel}, and leaves the same streams and global order behind.
     */
    @Test
    void answersEverySequenceOfAppendsDeletesAndReopensAsTheReferenceModelDoes() {
        store.close();
        String prefix = stream("model").value();
        Property.check(20, draw -> {
            store = createStoreFor(draw);
            var run = new ModelRun(store, prefix, this::reopenStore, densePositions());
            try {
                run.run(ModelRun.steps(draw));
            } finally {
                store = run.store();
                store.close();
            }
        });
    }

    // ---- concurrency ----

    @Nested
    class Concurrency {

        @Test
        void manyWritersOnOneStreamWithTheSameExpectedVersionHaveExactlyOneWinnerPerVersion() throws Exception {
            StreamId id = stream("contended");
            int writers = 16;
            int rounds = 10;
            var winners = new ConcurrentHashMap<Long, UUID>();
            var conflicts = new AtomicInteger();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int round = 0; round < rounds; round++) {
                    long expectedVersion = round - 1;
                    var start = new CountDownLatch(1);
                    var futures = new ArrayList<Future<?>>();
                    for (int w = 0; w < writers; w++) {
                        futures.add(executor.submit(() -> {
                            start.await();
                            EventData e = event("Contended");
                            try {
                                AppendResult result = store.append(id, ExpectedVersion.after(expectedVersion), List.of(e));
                                assertThat(winners.putIfAbsent(result.nextExpectedVersion(), e.eventId())).isNull();
                            } catch (WrongExpectedVersionException conflict) {
                                conflicts.incrementAndGet();
                            }
                            return null;
                        }));
                    }
                    start.countDown();
                    for (Future<?> future : futures) {
                        future.get();
                    }
                }
            }
            assertThat(winners).hasSize(rounds);
            assertThat(conflicts).hasValue(rounds * (writers - 1));
            List<RecordedEvent> read = readForward(id);
            assertThat(read).extracting(RecordedEvent::version).containsExactlyElementsOf(
                    IntStream.range(0, rounds).mapToObj(i -> (long) i).toList());
            for (RecordedEvent event : read) {
                assertThat(winners.get(event.version())).isEqualTo(event.eventId());
            }
        }

        @Test
        void manyWritersOnManyStreamsLoseNothing() throws Exception {
            String prefix = "many" + runId.replace("-", "");
            int writers = 32;
            int perWriter = 40;
            var written = ConcurrentHashMap.<UUID>newKeySet();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                var futures = new ArrayList<Future<?>>();
                for (int w = 0; w < writers; w++) {
                    StreamId id = StreamId.of(prefix + "-" + w);
                    futures.add(executor.submit(() -> {
                        for (int i = 0; i < perWriter; i++) {
                            EventData e = event("Spread");
                            store.append(id, ExpectedVersion.after(i - 1), List.of(e));
                            written.add(e.eventId());
                        }
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            }
            List<RecordedEvent> all = readAllVisible(EventFilter.streamPrefix(prefix), writers * perWriter);
            assertThat(all).hasSize(writers * perWriter);
            assertThat(new HashSet<>(ids(all))).isEqualTo(written);
            for (int w = 0; w < writers; w++) {
                assertThat(readForward(StreamId.of(prefix + "-" + w))).extracting(RecordedEvent::version)
                        .containsExactlyElementsOf(LongRangeList.upTo(perWriter));
            }
        }

        @Test
        void concurrentIdempotentRetriesWriteOnce() throws Exception {
            StreamId id = stream("retries");
            List<EventData> batch = events(3);
            var results = new CopyOnWriteArrayList<AppendResult>();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                var start = new CountDownLatch(1);
                var futures = new ArrayList<Future<?>>();
                for (int i = 0; i < 8; i++) {
                    futures.add(executor.submit(() -> {
                        start.await();
                        results.add(store.append(id, ExpectedVersion.any(), batch));
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get();
                }
            }
            assertThat(readForward(id)).hasSize(3);
            assertThat(results).filteredOn(result -> !result.repeated()).hasSize(1);
            assertThat(results.stream().map(AppendResult::asRepeat).distinct()).hasSize(1);
        }
    }

    // ---- event ids sent again: which id a refusal names, and what a retry must repeat ----

    @Nested
    class EventIdsSentAgain {

        @Test
        void aRefusalNamesTheStoredIdBeforeOrAfterANewOne() {
            StreamId id = stream("stored-and-new");
            List<EventData> stored = events(2);
            store.append(id, ExpectedVersion.noStream(), stored);

            for (var sentAgain : List.of(List.of(stored.getFirst(), event("New")), List.of(event("New"), stored.get(1)))) {
                UUID storedId = sentAgain.stream().map(EventData::eventId).filter(dataIds(stored)::contains).findFirst().orElseThrow();
                assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), sentAgain))
                        .isInstanceOfSatisfying(DuplicateEventException.class,
                                e -> assertThat(e.eventId()).isEqualTo(storedId))
                        .hasMessageContaining(storedId.toString());
            }
            assertThat(readForward(id)).hasSize(2);
        }

        @Test
        void aStoredIdSentAgainWithAnotherTypeIsNotARetry() {
            StreamId id = stream("other-type");
            EventData original = EventData.of("Deposited", "{\"amount\":1}");
            AppendResult first = store.append(id, ExpectedVersion.noStream(), List.of(original));

            var retyped = EventData.of("Withdrawn", original.data()).withEventId(original.eventId());
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.noStream(), List.of(retyped)))
                    .isInstanceOfSatisfying(DuplicateEventException.class,
                            e -> assertThat(e.eventId()).isEqualTo(original.eventId()))
                    .hasMessageContaining("different type or data");
            assertThat(readForward(id)).extracting(RecordedEvent::type).containsExactly("Deposited");
            assertThat(store.append(id, ExpectedVersion.noStream(), List.of(original))).isEqualTo(first.asRepeat());
        }

        @Test
        void aStoredIdSentAgainWithOtherDataIsNotARetry() {
            StreamId id = stream("other-data");
            List<EventData> stored = List.of(EventData.of("Deposited", "{\"amount\":1}"),
                    EventData.of("Deposited", "{\"amount\":2}"));
            store.append(id, ExpectedVersion.noStream(), stored);

            var changed = List.of(stored.getFirst(),
                    EventData.of("Deposited", "{\"amount\":3}").withEventId(stored.get(1).eventId()));
            assertThatThrownBy(() -> store.append(id, ExpectedVersion.any(), changed))
                    .isInstanceOfSatisfying(DuplicateEventException.class,
                            e -> assertThat(e.eventId()).isEqualTo(stored.get(1).eventId()))
                    .hasMessageContaining("different type or data")
                    .hasMessageContaining(stored.get(1).eventId().toString());
            assertThat(readForward(id)).extracting(RecordedEvent::data)
                    .containsExactly("{\"amount\":1}", "{\"amount\":2}");
        }
    }

    private static final class LongRangeList {
        static List<Long> upTo(int count) {
            return IntStream.range(0, count).mapToObj(i -> (long) i).toList();
        }
    }
}
