package io.annals.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.EventData;
import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.property.Draw;
import io.annals.store.AppendResult;
import io.annals.store.DeleteMode;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.EventStoreException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamDeletedException;
import io.annals.store.StreamState;
import io.annals.store.WrongExpectedVersionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One case of the model-based test: a drawn sequence of appends (new, retried, partly
 * duplicated), deletes and reopens, run against a store and against {@link ReferenceModel}. Every
 * answer, every stream and the global order must agree.
 */
final class ModelRun {

    sealed interface Step {
    }

    /** @param reuse 0: new events; 1: an earlier batch again; 2: a new event followed by an earlier one */
    record Append(int stream, Expected expected, int count, int reuse, int earlier) implements Step {
    }

    record Delete(int stream, Expected expected, DeleteMode mode) implements Step {
    }

    /** The expected version of a step: one given as such, or the stream's version when the step runs, give or take one. */
    sealed interface Expected {
    }

    record Given(ExpectedVersion version) implements Expected {
        @Override
        public String toString() {
            return version.toString();
        }
    }

    record Current(int plus) implements Expected {
        @Override
        public String toString() {
            return "current" + (plus < 0 ? "" : "+") + plus;
        }
    }

    /** Close the store and open it again on what it kept. */
    record Reopen() implements Step {
    }

    private static final String REOPENED = "reopened";
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);

    private final List<StreamId> streams;
    private final String prefix;
    private final UnaryOperator<EventStore> reopen;
    private final boolean densePositions;
    private EventStore store;

    /**
     * @param reopen opens the store again on what a closed store kept
     * @param densePositions whether the store's positions are 1, 2, 3, ... in commit order
     */
    ModelRun(EventStore store, String prefix, UnaryOperator<EventStore> reopen, boolean densePositions) {
        this.store = store;
        this.prefix = prefix;
        this.streams = List.of(StreamId.of(prefix + "-a"), StreamId.of(prefix + "-b"), StreamId.of(prefix + "-c"));
        this.reopen = reopen;
        this.densePositions = densePositions;
    }

    /** The store open at the end of the run, for the caller to close. */
    EventStore store() {
        return store;
    }

    static List<Step> steps(Draw draw) {
        return draw.listOf(1, 30, () -> draw.weighted(new int[] {8, 1, 1}, List.<Supplier<? extends Step>>of(
                () -> new Append(draw.intBetween(0, 2), expected(draw), draw.intBetween(1, 3), draw.intBetween(0, 2),
                        draw.intBetween(0, 1000)),
                () -> new Delete(draw.intBetween(0, 2), expected(draw), draw.pick(DeleteMode.SOFT, DeleteMode.HARD)),
                Reopen::new)));
    }

    private static Expected expected(Draw draw) {
        return draw.weighted(new int[] {1, 1, 1, 1, 2}, List.<Supplier<? extends Expected>>of(
                () -> new Given(ExpectedVersion.any()), () -> new Given(ExpectedVersion.noStream()),
                () -> new Given(ExpectedVersion.streamExists()), () -> new Given(ExpectedVersion.exact(draw.longBetween(0, 8))),
                () -> new Current(draw.intBetween(-1, 1))));
    }

    /** The expected version a step sends, given the model's state of its stream before it runs. */
    private static ExpectedVersion resolve(Expected expected, StreamState state) {
        return switch (expected) {
            case Given(ExpectedVersion version) -> version;
            case Current(int plus) -> {
                long version = (state instanceof StreamState.Active(long last) ? last : -1) + plus;
                yield version < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exact(version);
            }
        };
    }

    void run(List<Step> steps) {
        var model = new ReferenceModel();
        var batches = new ArrayList<List<EventData>>();
        var appends = new ArrayList<Appended>();
        for (int number = 0; number < steps.size(); number++) {
            Step step = steps.get(number);
            Object expected;
            Object answer;
            switch (step) {
                case Append append -> {
                    List<EventData> events = eventsFor(append, batches);
                    batches.add(events);
                    StreamId id = streams.get(append.stream());
                    ExpectedVersion version = resolve(append.expected(), model.state(id));
                    expected = model.append(id, version, events.stream().map(EventData::eventId).toList());
                    answer = answer(() -> store.append(id, version, events));
                }
                case Delete delete -> {
                    batches.add(List.of());
                    StreamId id = streams.get(delete.stream());
                    ExpectedVersion version = resolve(delete.expected(), model.state(id));
                    expected = model.delete(id, version, delete.mode());
                    answer = answer(() -> {
                        store.delete(id, version, delete.mode());
                        return ReferenceModel.DELETED;
                    });
                }
                case Reopen reopened -> {
                    batches.add(List.of());
                    store.close();
                    store = reopen.apply(store);
                    expected = REOPENED;
                    answer = REOPENED;
                }
            }
            String where = "step " + number + " of " + steps;
            if (expected instanceof ReferenceModel.Appended appended) {
                assertThat(answer).as(where).isInstanceOfSatisfying(AppendResult.class, result ->
                        assertThat(result.nextExpectedVersion()).as(where).isEqualTo(appended.nextExpectedVersion()));
                appends.add(new Appended(number, appended, ((AppendResult) answer).position()));
            } else {
                assertThat(answer).as(where).isEqualTo(expected);
            }
            for (StreamId id : streams) {
                assertThat(store.streamState(id)).as("state of %s after %s", id, where).isEqualTo(model.state(id));
            }
        }

        List<ReferenceModel.Entry> log = model.log();
        List<RecordedEvent> all = readAll(log.size());
        assertThat(all.stream().map(e -> new ReferenceModel.Entry(e.streamId(), e.version(), e.eventId())).toList())
                .as("the global order after %s", steps).isEqualTo(log);
        for (int i = 0; i < all.size(); i++) {
            if (i > 0) {
                assertThat(all.get(i).position()).isGreaterThan(all.get(i - 1).position());
            }
            if (densePositions) {
                assertThat(all.get(i).position()).isEqualTo(Position.of(i + 1L));
            }
        }
        for (Appended appended : appends) {
            assertThat(all.get(appended.expected().rank()).position())
                    .as("position answered to step %d of %s", appended.step(), steps).isEqualTo(appended.position());
        }
        for (StreamId id : streams) {
            assertThat(answer(() -> store.readStream(id, 0, ReadDirection.FORWARD, 1000).stream()
                    .map(e -> new ReferenceModel.Entry(e.streamId(), e.version(), e.eventId())).toList()))
                    .as("events of %s after %s", id, steps).isEqualTo(model.read(id));
        }
    }

    /** An append step's answer, whose position is checked against the global order at the end. */
    private record Appended(int step, ReferenceModel.Appended expected, Position position) {
    }

    /** The store's whole global order once the model's count of events is visible in it (PostgreSQL may publish late). */
    private List<RecordedEvent> readAll(int expectedCount) {
        EventFilter filter = EventFilter.streamPrefix(prefix);
        try {
            EventStoreContractTest.eventually().atMost(VISIBLE_WITHIN)
                    .until(() -> store.readAll(Position.START, 10_000, filter).size() >= expectedCount);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // compared below, where the difference is shown
        }
        return store.readAll(Position.START, 10_000, filter);
    }

    /** The events of one append step, given the earlier steps' batches (empty for other steps). */
    private static List<EventData> eventsFor(Append append, List<List<EventData>> batches) {
        int index = batches.size();
        List<List<EventData>> earlierBatches = batches.stream().filter(batch -> !batch.isEmpty()).toList();
        if (append.reuse() == 0 || earlierBatches.isEmpty()) {
            var events = new ArrayList<EventData>();
            for (int i = 0; i < append.count(); i++) {
                events.add(EventData.of("Step", "{\"step\":" + index + ",\"i\":" + i + "}"));
            }
            return events;
        }
        List<EventData> earlier = earlierBatches.get(append.earlier() % earlierBatches.size());
        return append.reuse() == 1 ? earlier
                : List.of(EventData.of("Mixed", "{\"step\":" + index + "}"), earlier.getFirst());
    }

    /** What the store answered: an {@link AppendResult}, or the kind of its refusal as the model names it. */
    private static Object answer(Supplier<Object> action) {
        try {
            return action.get();
        } catch (WrongExpectedVersionException e) {
            return ReferenceModel.wrongExpectedVersion(e.actualVersion());
        } catch (StreamDeletedException e) {
            return ReferenceModel.STREAM_DELETED;
        } catch (DuplicateEventException e) {
            return ReferenceModel.DUPLICATE_EVENT;
        } catch (EventStoreException e) {
            return e.toString();
        }
    }
}
