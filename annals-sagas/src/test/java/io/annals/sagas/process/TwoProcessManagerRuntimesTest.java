package io.annals.sagas.process;

import io.annals.event.Metadata;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.sagas.deadline.Deadline;
import io.annals.sagas.outbox.OutboxMessage;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.ExpectedVersion;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.postgres.testing.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two leased runtimes of one process manager, each with a store of its own on one PostgreSQL
 * schema, as two processes would run it: one drives the instances (inputs and deadlines) while
 * the other waits; each instance's inputs are recorded once, in the order they were appended,
 * though they come from two streams; when the one driving them freezes past its lease the other
 * takes over, and the frozen one's decision does not commit when it wakes.
 */
class TwoProcessManagerRuntimesTest {

    private static final Duration LEASE = Duration.ofSeconds(1);
    /** Expiry of the lease, a claim interval and the stuck handler's half lease, with room for a loaded machine. */
    private static final Duration TAKEOVER_BOUND = LEASE.multipliedBy(6);
    private static final List<String> KEYS = List.of("k0", "k1", "k2");

    sealed interface Input {
        String key();
    }

    record Tick(String key, int n) implements Input {
    }

    record Ping(String key) implements Input {
    }

    /** The command each decision sends: which runtime decided, on what. */
    record Seen(String node, String key, int n) {
    }

    record Call(String node, String key, int n) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch frozen = new CountDownLatch(1);
    private final CountDownLatch wake = new CountDownLatch(1);

    /** Counts ticks; the fifth of an instance sets a deadline. Runtime "a" freezes on {@code k0}'s sixth tick. */
    private final class Counter implements ProcessManager<Integer, Input> {
        private final String node;

        Counter(String node) {
            this.node = node;
        }

        @Override
        public String name() {
            return "counter";
        }

        @Override
        public Class<Input> inputType() {
            return Input.class;
        }

        @Override
        public Optional<String> correlate(Input event) {
            return Optional.of(event.key());
        }

        @Override
        public Integer initialState() {
            return 0;
        }

        @Override
        public Integer evolve(Integer state, Input event) {
            return event instanceof Tick(String key, int n) ? n : state;
        }

        @Override
        public Reaction<Input> react(Integer state, Input event) {
            return switch (event) {
                case Tick(String key, int n) -> {
                    calls.add(new Call(node, key, n));
                    if (node.equals("a") && key.equals("k0") && n == 6) {
                        frozen.countDown();
                        try {
                            wake.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    Reaction<Input> seen = Reaction.<Input>none().send(new Seen(node, key, n));
                    yield n == 5 ? seen.schedule("ping", Duration.ofMillis(100), new Ping(key)) : seen;
                }
                case Ping(String key) -> {
                    calls.add(new Call(node, key, -1));
                    yield Reaction.<Input>none().send(new Seen(node, key, -1));
                }
            };
        }
    }

    private final TestPostgres postgres = TestPostgres.get();
    private final String schema = postgres.freshSchema("twopms");
    private final PostgresEventStore storeA = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build();
    private final PostgresEventStore storeB = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build();
    private final EventSerializer events = new EventSerializer(new EventTypeRegistry().registerSealed(Input.class));
    private final EventSerializer json = new EventSerializer(new EventTypeRegistry());

    @AfterEach
    void close() {
        wake.countDown();
        storeA.close();
        storeB.close();
        postgres.dropSchema(schema);
    }

    private void tick(String key, int n) {
        // the ticks of one instance come from two streams: their order is the store's, not a stream's
        storeA.append(StreamId.of("source-" + (n % 2)), ExpectedVersion.any(),
                List.of(events.serialize(new Tick(key, n), Metadata.EMPTY)));
    }

    private List<RecordedEvent> instance(String key) {
        return storeA.readStreamForward(StreamId.of("pm-counter-" + key), 0, 1_000);
    }

    /** The decisions recorded for an instance, in order. */
    private List<Seen> decisions(String key) {
        return instance(key).stream().filter(event -> event.type().equals(OutboxMessage.RECORDED))
                .map(event -> json.fromJson(OutboxMessage.from(event).payload(), Seen.class)).toList();
    }

    private long handled(String key) {
        return instance(key).stream().filter(event -> event.type().equals(ProcessManagerRuntime.HANDLED)).count();
    }

    @Test
    void oneRuntimeDrivesTheInstancesInOrderAndTheOtherTakesOverWhenItFreezes() throws InterruptedException {
        try (var a = ProcessManagerRuntime.leased(storeA, new Counter("a"), Clock.systemUTC(), "a", LEASE).start()) {
            await().until(a::leading);
            try (var b = ProcessManagerRuntime.leased(storeB, new Counter("b"), Clock.systemUTC(), "b", LEASE).start()) {
                for (int n = 1; n <= 5; n++) {
                    for (String key : KEYS) {
                        tick(key, n);
                    }
                }
                await().untilAsserted(() -> KEYS.forEach(key -> assertThat(decisions(key)).hasSize(6)));
                assertThat(calls).as("the runtime without the lease decides nothing, inputs nor deadlines")
                        .extracting(Call::node).containsOnly("a");
                assertThat(b.leading()).isFalse();

                tick("k0", 6);
                assertThat(frozen.await(10, TimeUnit.SECONDS)).isTrue();
                await().atMost(TAKEOVER_BOUND).until(b::leading);
                tick("k0", 7);
                tick("k1", 6);
                await().untilAsserted(() -> assertThat(handled("k0")).isEqualTo(8));
                await().untilAsserted(() -> assertThat(handled("k1")).isEqualTo(7));

                wake.countDown();
                await().atMost(TAKEOVER_BOUND).until(() -> !a.leading());
                assertThat(b.leading()).isTrue();
                assertThat(a.failure()).isEmpty();
                assertThat(b.failure()).isEmpty();
            }
        }
        for (String key : KEYS) {
            List<Seen> decided = decisions(key);
            List<Integer> ticks = decided.stream().map(Seen::n).filter(n -> n > 0).toList();
            int last = ticks.getLast();
            assertThat(ticks).as("%s: each tick once, in the order appended", key)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, last).boxed().toList());
            assertThat(decided.stream().filter(seen -> seen.n() == -1)).as("%s: its deadline fired once, by the holder", key)
                    .containsExactly(new Seen("a", key, -1));
            assertThat(instance(key).stream().filter(event -> event.type().equals(Deadline.FIRED))).hasSize(1);
        }
        // the frozen runtime decided on k0's sixth tick too, but only its successor's decision was recorded
        assertThat(calls).contains(new Call("a", "k0", 6), new Call("b", "k0", 6));
        assertThat(decisions("k0")).contains(new Seen("b", "k0", 6), new Seen("b", "k0", 7))
                .doesNotContain(new Seen("a", "k0", 6));
        var afterTakeover = new ArrayList<>(calls.subList(calls.indexOf(new Call("a", "k0", 6)) + 1, calls.size()));
        assertThat(afterTakeover).extracting(Call::node).containsOnly("b");
    }
}
