package io.annals.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.event.EventData;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.AppendResult;
import io.annals.store.DeleteMode;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.StreamDeletedException;
import io.annals.store.StreamState;
import io.annals.store.WrongExpectedVersionException;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.store.subscription.AppendSignal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lone append, the combined append and the append inside a transaction are one definition:
 * over seeded random histories of appends (new events, retries, retries with changed events,
 * stored ids next to new ones, every expected version, near and off the stream's version) and
 * deletes, each path answers every operation as the in-memory store does, an implementation of
 * the same rules that shares no code with the PostgreSQL one, and the streams end alike.
 */
class OneAppendDefinitionTest {

    private static final int ROUNDS = 40;
    private static final int STREAMS = 4;

    private final PostgresStoreFixture fixture = new PostgresStoreFixture("one_append");
    private final PostgresEventStore store = fixture.store;
    /** Writes a batch in one call, as a write-combining lane does. */
    private final BatchWriter combined = new BatchWriter(store.dataSource(), store.schema(), new AppendSignal(),
            new CommitWatermark(), new CommitNotifier(store.dataSource(), store.schema(), new OtherListeners()));

    private enum Path { LONE, COMBINED, IN_TRANSACTION }

    private record Op(StreamId stream, ExpectedVersion expected, List<EventData> events) {
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void everyPathAnswersAsTheReferenceStore(long seed) {
        var random = new Random(seed);
        var reference = new InMemoryEventStore();
        var streams = new ArrayList<StreamId>();
        for (int s = 0; s < STREAMS; s++) {
            streams.add(StreamId.of("seed" + seed + "-stream-" + s));
        }
        var appended = new HashMap<StreamId, List<List<EventData>>>();
        for (int round = 0; round < ROUNDS; round++) {
            String where = "seed " + seed + ", round " + round;
            if (random.nextInt(12) == 0) {
                StreamId stream = streams.get(random.nextInt(STREAMS));
                DeleteMode mode = random.nextInt(4) == 0 ? DeleteMode.HARD : DeleteMode.SOFT;
                assertThat(outcome(() -> {
                    store.delete(stream, ExpectedVersion.any(), mode);
                    return null;
                })).as(where + ": %s delete of %s", mode, stream).isEqualTo(outcome(() -> {
                    reference.delete(stream, ExpectedVersion.any(), mode);
                    return null;
                }));
                continue;
            }
            var chosen = new ArrayList<>(streams);
            java.util.Collections.shuffle(chosen, random);
            var ops = new ArrayList<Op>();
            for (StreamId stream : chosen.subList(0, 1 + random.nextInt(3))) {
                ops.add(new Op(stream, expected(random, reference, stream), events(random, stream, appended)));
            }
            Path path = Path.values()[random.nextInt(Path.values().length)];
            List<String> actual = write(path, ops);
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                String expected = outcome(() -> reference.append(op.stream(), op.expected(), op.events()));
                assertThat(actual.get(i)).as(where + ": %s append to %s, expecting %s", path, op.stream(), op.expected())
                        .isEqualTo(expected);
                if (expected.startsWith("written")) {
                    appended.computeIfAbsent(op.stream(), s -> new ArrayList<>()).add(op.events());
                }
            }
        }
        for (StreamId stream : streams) {
            StreamState state = reference.streamState(stream);
            assertThat(store.streamState(stream)).as("seed %d: state of %s", seed, stream).isEqualTo(state);
            if (!(state instanceof StreamState.Tombstoned)) {
                assertThat(contents(store, stream)).as("seed %d: events of %s", seed, stream)
                        .isEqualTo(contents(reference, stream));
            }
        }
    }

    private List<String> write(Path path, List<Op> ops) {
        return switch (path) {
            case LONE -> ops.stream().map(op -> outcome(() -> store.append(op.stream(), op.expected(), op.events())))
                    .toList();
            case IN_TRANSACTION -> ops.stream().map(op -> outcome(() -> store.inTransaction(
                    tx -> tx.append(op.stream(), op.expected(), op.events())))).toList();
            case COMBINED -> {
                var requests = ops.stream().map(op -> new AppendRequest(op.stream(), op.expected(), op.events())).toList();
                combined.write(requests);
                yield requests.stream().map(request -> outcome(() -> {
                    try {
                        return request.result().join();
                    } catch (CompletionException e) {
                        throw (RuntimeException) e.getCause();
                    }
                })).toList();
            }
        };
    }

    /** What an operation answered, in terms both stores share (positions differ between stores). */
    private static String outcome(Supplier<AppendResult> call) {
        try {
            AppendResult result = call.get();
            return result == null ? "done" : "written up to " + result.nextExpectedVersion();
        } catch (WrongExpectedVersionException e) {
            return "conflict at " + e.actualVersion();
        } catch (StreamDeletedException e) {
            return "deleted";
        } catch (DuplicateEventException e) {
            return (e.getMessage().contains("different type or data") ? "different " : "duplicate ") + e.eventId();
        }
    }

    private static ExpectedVersion expected(Random random, EventStore reference, StreamId stream) {
        long visible = reference.streamState(stream) instanceof StreamState.Active(long version) ? version : -1;
        return switch (random.nextInt(6)) {
            case 0 -> ExpectedVersion.any();
            case 1 -> ExpectedVersion.noStream();
            case 2 -> ExpectedVersion.streamExists();
            default -> ExpectedVersion.after(visible + (random.nextInt(5) == 0 ? random.nextInt(3) - 1 : 0));
        };
    }

    /** New events, a retry of an earlier append, a retry with one event changed, or stored ids next to new ones. */
    private static List<EventData> events(Random random, StreamId stream, Map<StreamId, List<List<EventData>>> appended) {
        List<List<EventData>> earlier = appended.getOrDefault(stream, List.of());
        List<EventData> fresh = fresh(random, 1 + random.nextInt(3));
        if (earlier.isEmpty()) {
            return fresh;
        }
        List<EventData> before = earlier.get(random.nextInt(earlier.size()));
        EventData stored = before.get(random.nextInt(before.size()));
        return switch (random.nextInt(10)) {
            case 0, 1 -> before;
            case 2 -> {
                var changed = new ArrayList<>(before);
                int at = random.nextInt(changed.size());
                EventData event = changed.get(at);
                changed.set(at, random.nextBoolean()
                        ? EventData.of(event.type() + "Changed", event.data()).withEventId(event.eventId())
                        : EventData.of(event.type(), "{\"changed\":" + random.nextInt(1000) + "}").withEventId(event.eventId()));
                yield changed;
            }
            case 3 -> concat(List.of(stored), fresh);
            case 4 -> concat(fresh, List.of(stored));
            default -> fresh;
        };
    }

    private static List<EventData> fresh(Random random, int count) {
        var events = new ArrayList<EventData>();
        for (int i = 0; i < count; i++) {
            events.add(EventData.of(random.nextBoolean() ? "Deposited" : "Withdrawn", "{\"amount\":" + random.nextInt(1000) + "}")
                    .withEventId(new UUID(random.nextLong(), random.nextLong())));
        }
        return events;
    }

    private static List<EventData> concat(List<EventData> first, List<EventData> second) {
        var all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<String> contents(EventStore store, StreamId stream) {
        return store.readStreamForward(stream, 0, 10_000).stream()
                .map((RecordedEvent e) -> e.version() + " " + e.eventId() + " " + e.type() + " " + e.data()).toList();
    }
}
