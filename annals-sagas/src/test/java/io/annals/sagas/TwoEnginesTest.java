package io.annals.sagas;

import io.annals.store.EventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.postgres.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two engines, each with a store of its own on one PostgreSQL schema (as two processes would be),
 * race for the same sagas: each try is called once, by one of them, and the calls of one saga
 * never overlap, because a try another engine holds the lease of is left to it.
 */
class TwoEnginesTest {

    private static final int SAGAS = 12;

    record Job(int number) {
    }

    record Call(String sagaId, String step, int attempt, boolean retry, String node, long start, long end) {
    }

    @Test
    void twoEnginesOnOneDatabaseCallEachTryOnceAndNeverOneSagaAtOnce() {
        TestPostgres postgres = TestPostgres.get();
        String schema = postgres.freshSchema("twoengines");
        var calls = new CopyOnWriteArrayList<Call>();
        try (EventStore storeA = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build();
             EventStore storeB = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build()) {
            SagaDefinition<Job> definitionA = definition(calls, "a");
            SagaDefinition<Job> definitionB = definition(calls, "b");
            try (var a = SagaEngine.builder(storeA).nodeId("a").register(definitionA).build();
                 var b = SagaEngine.builder(storeB).nodeId("b").register(definitionB).build()) {
                // each engine starts half of them and looks for the other's at once: both race for every saga
                for (int i = 0; i < SAGAS; i++) {
                    if (i % 2 == 0) {
                        a.start(definitionA, "job-" + i, new Job(i));
                        b.resumeAll();
                    } else {
                        b.start(definitionB, "job-" + i, new Job(i));
                        a.resumeAll();
                    }
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> a.list(Optional.empty()).stream()
                        .filter(view -> view.status() == SagaStatus.COMPLETED).count() == SAGAS);
            }
        } finally {
            postgres.dropSchema(schema);
        }
        Map<String, List<Call>> bySaga = new HashMap<>();
        calls.forEach(call -> bySaga.computeIfAbsent(call.sagaId(), k -> new ArrayList<>()).add(call));
        assertThat(bySaga).hasSize(SAGAS);
        bySaga.forEach((sagaId, ofSaga) -> {
            assertThat(ofSaga).as(sagaId).extracting(Call::step, Call::attempt, Call::retry).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("first", 1, false),
                    org.assertj.core.groups.Tuple.tuple("second", 1, false),
                    org.assertj.core.groups.Tuple.tuple("third", 1, false));
            var sorted = ofSaga.stream().sorted(java.util.Comparator.comparingLong(Call::start)).toList();
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i).start()).as("%s: %s starts after %s ended", sagaId, sorted.get(i), sorted.get(i - 1))
                        .isGreaterThan(sorted.get(i - 1).end());
            }
        });
        assertThat(calls).extracting(Call::node).contains("a", "b");
    }

    private static SagaDefinition<Job> definition(List<Call> calls, String node) {
        Step.Action<Job> work = (job, call) -> {
            long start = System.nanoTime();
            // the work of a remote call: long enough for the other engine to find the try running
            LockSupport.parkNanos(Duration.ofMillis(15).toNanos());
            calls.add(new Call(call.sagaId(), call.step(), call.attempt(), call.isRetry(), node, start, System.nanoTime()));
            return "";
        };
        return SagaDefinition.of("job", Job.class,
                Step.of("first", work, Step.Compensation.none()),
                Step.of("second", work, Step.Compensation.none()),
                Step.of("third", work, Step.Compensation.none()));
    }
}
