package io.annals.store.sqlite;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.DeleteMode;
import io.annals.store.EventStore;
import io.annals.store.EventStoreException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.WrongExpectedVersionException;
import io.annals.store.inmemory.InMemoryEventStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any sequence of appends (new, retried, partly duplicated), expected versions and deletes gets
 * the same answers, versions and global positions from the SQLite store as from the in-memory
 * reference store, and leaves the same global order behind, wherever the stream index's
 * horizon falls.
 */
class AgreesWithTheReferenceStoreTest {

    private static final List<StreamId> STREAMS = List.of(StreamId.of("p-a"), StreamId.of("p-b"), StreamId.of("p-c"));

    sealed interface Step {
    }

    /** @param reuse 0: new events; 1: repeat an earlier batch; 2: a new event followed by an earlier one */
    record Append(int stream, ExpectedVersion expected, int count, int reuse, int earlier) implements Step {
    }

    record Delete(int stream, ExpectedVersion expected, DeleteMode mode) implements Step {
    }

    @Property(tries = 20)
    void theSqliteStoreAnswersEveryStepLikeTheReferenceStore(@ForAll("steps") List<Step> steps,
                                                             @ForAll @IntRange(min = 1, max = 8) int indexEvery)
            throws IOException {
        Path directory = Files.createTempDirectory("annals-sqlite-property");
        var indexedEveryFewEvents = new UnindexedTail.FlushPolicy(indexEvery, Duration.ofHours(1));
        try (EventStore reference = new InMemoryEventStore();
             var sqlite = SqliteEventStore.builder(directory.resolve("p.db")).streamIndexFlush(indexedEveryFewEvents).build()) {
            var batches = new ArrayList<List<EventData>>();
            for (Step step : steps) {
                List<EventData> events = step instanceof Append append ? eventsFor(append, batches) : List.of();
                batches.add(events);
                Object expected = apply(reference, step, events);
                Object actual = apply(sqlite, step, events);
                assertThat(actual).as("%s", step).isEqualTo(expected);
            }
            assertThat(summary(sqlite.readAll(Position.START, 10_000))).isEqualTo(summary(reference.readAll(Position.START, 10_000)));
            for (StreamId stream : STREAMS) {
                assertThat(sqlite.streamState(stream)).isEqualTo(reference.streamState(stream));
                assertThat(outcome(() -> summary(sqlite.readStream(stream, 0, ReadDirection.FORWARD, 1000))))
                        .isEqualTo(outcome(() -> summary(reference.readStream(stream, 0, ReadDirection.FORWARD, 1000))));
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Object apply(EventStore store, Step step, List<EventData> events) {
        return switch (step) {
            case Append append -> outcome(() -> store.append(STREAMS.get(append.stream()), append.expected(), events));
            case Delete delete -> outcome(() -> {
                store.delete(STREAMS.get(delete.stream()), delete.expected(), delete.mode());
                return "deleted";
            });
        };
    }

    /** The events of one append step, given the earlier steps' batches (empty for deletes). */
    private static List<EventData> eventsFor(Append append, List<List<EventData>> batches) {
        int index = batches.size();
        List<List<EventData>> earlierBatches = batches.stream().filter(batch -> !batch.isEmpty()).toList();
        return switch (append.reuse()) {
            case 1 -> earlierBatches.isEmpty() ? fresh(append.count())
                    : earlierBatches.get(append.earlier() % earlierBatches.size());
            case 2 -> {
                if (earlierBatches.isEmpty()) {
                    yield fresh(append.count());
                }
                List<EventData> earlier = earlierBatches.get(append.earlier() % earlierBatches.size());
                yield List.of(EventData.of("Mixed", "{\"at\":" + index + "}"), earlier.getFirst());
            }
            default -> fresh(append.count());
        };
    }

    private static List<EventData> fresh(int count) {
        var events = new ArrayList<EventData>();
        for (int i = 0; i < count; i++) {
            events.add(new EventData(UUID.randomUUID(), "Step", "{\"i\":" + i + "}", null, null));
        }
        return events;
    }

    private static Object outcome(java.util.function.Supplier<Object> action) {
        try {
            return action.get();
        } catch (WrongExpectedVersionException e) {
            return "wrong-expected-version:" + e.actualVersion();
        } catch (EventStoreException e) {
            return e.getClass().getSimpleName();
        }
    }

    private static List<String> summary(List<RecordedEvent> events) {
        return events.stream().map(e -> e.position().sequence() + " " + e.streamId() + "@" + e.version() + " " + e.eventId()).toList();
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<ExpectedVersion> expected = Arbitraries.oneOf(
                Arbitraries.just(ExpectedVersion.any()),
                Arbitraries.just(ExpectedVersion.noStream()),
                Arbitraries.just(ExpectedVersion.streamExists()),
                Arbitraries.longs().between(0, 8).map(ExpectedVersion::exact));
        Arbitrary<Step> append = Combinators.combine(
                Arbitraries.integers().between(0, STREAMS.size() - 1), expected,
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 1000)).as(Append::new);
        Arbitrary<Step> delete = Combinators.combine(
                Arbitraries.integers().between(0, STREAMS.size() - 1), expected,
                Arbitraries.of(DeleteMode.SOFT, DeleteMode.HARD)).as(Delete::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, append),
                net.jqwik.api.Tuple.of(1, delete)).list().ofMinSize(1).ofMaxSize(30);
    }
}
