package io.annals.sagas;

import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.sagas.SagaEvent.SagaStarted;
import io.annals.sagas.SagaEvent.StepFailed;
import io.annals.sagas.SagaEvent.StepStarted;
import io.annals.serialization.EventSerializer;
import io.annals.serialization.EventTypeRegistry;
import io.annals.store.ExpectedVersion;
import io.annals.store.EventStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

abstract class SagaEngineTest {

    /** Opens the store the tests run on. */
    abstract TestStores.Opened open();


    record Order(String id, int amount) {
    }

    /** One call of an action or a compensation, as the fake services saw it. */
    record Call(String kind, String step, int attempt, boolean retry, String key, Optional<String> result) {
    }

    private final TestStores.Opened opened = open();
    private final EventStore store = opened.store();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private SagaEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        opened.close();
    }

    private Step.Action<Order> succeeds(String answer) {
        return (order, call) -> {
            calls.add(new Call("run", call.step(), call.attempt(), call.isRetry(), call.idempotencyKey(), call.result()));
            return answer + ":" + order.id();
        };
    }

    private Step.Action<Order> fails(String message) {
        return (order, call) -> {
            calls.add(new Call("run", call.step(), call.attempt(), call.isRetry(), call.idempotencyKey(), call.result()));
            throw new IllegalStateException(message);
        };
    }

    private Step.Compensation<Order> undo() {
        return (order, call) -> calls.add(new Call("undo", call.step(), call.attempt(), call.isRetry(),
                call.idempotencyKey(), call.result()));
    }

    private Step.Compensation<Order> undoFailing(AtomicInteger failuresLeft) {
        return (order, call) -> {
            calls.add(new Call("undo", call.step(), call.attempt(), call.isRetry(), call.idempotencyKey(), call.result()));
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("refund service down");
            }
        };
    }

    private SagaView awaitAtRest(String sagaId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.find(sagaId).map(v -> v.status().isAtRest()).orElse(false));
        return engine.find(sagaId).orElseThrow();
    }

    private SagaEngine start(SagaDefinition<Order> definition) {
        engine = SagaEngine.builder(store).register(definition).build();
        return engine;
    }

    @Test
    void runsEveryStepInOrderAndCompletesWithTheirAnswers() {
        var definition = SagaDefinition.of("order", Order.class,
                Step.of("reserve", succeeds("reservation"), undo()),
                Step.of("charge", (order, call) -> {
                    calls.add(new Call("run", call.step(), call.attempt(), call.isRetry(), call.idempotencyKey(), call.result()));
                    return "charged " + call.results().get("reserve");
                }, undo()),
                Step.of("ship", succeeds("parcel"), undo()));
        start(definition);

        assertThat(engine.start(definition, "o-1", new Order("o-1", 10))).isTrue();
        SagaView view = awaitAtRest("o-1");

        assertThat(view.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(calls).containsExactly(
                new Call("run", "reserve", 1, false, "o-1/reserve", Optional.empty()),
                new Call("run", "charge", 1, false, "o-1/charge", Optional.empty()),
                new Call("run", "ship", 1, false, "o-1/ship", Optional.empty()));
        assertThat(view.steps()).extracting(SagaView.StepView::result).containsExactly(
                Optional.of("reservation:o-1"), Optional.of("charged reservation:o-1"), Optional.of("parcel:o-1"));
        assertThat(view.history()).first().isEqualTo(new SagaStarted("order", "{\"id\":\"o-1\",\"amount\":10}"));
        // starting the same id again starts nothing
        assertThat(engine.start(definition, "o-1", new Order("o-1", 99))).isFalse();
        assertThat(engine.find("o-1").orElseThrow().version()).isEqualTo(view.version());
    }

    @Test
    void observersHearOfEveryCallAndTheEngineCountsInstancesByStatus() {
        var definition = SagaDefinition.of("order", Order.class,
                Step.of("reserve", succeeds("r"), undo()),
                Step.of("charge", fails("declined"), undo()));
        start(definition);
        var heard = new CopyOnWriteArrayList<String>();
        engine.observe((saga, step, compensation, took, succeeded) ->
                heard.add(saga + " " + step + (compensation ? " undo " : " run ") + succeeded));

        engine.start(definition, "o-11", new Order("o-11", 1));
        awaitAtRest("o-11");

        assertThat(heard).containsExactly("order reserve run true", "order charge run false",
                "order charge undo true", "order reserve undo true");
        assertThat(engine.countByStatus()).containsEntry(SagaStatus.COMPENSATED, 1L).containsEntry(SagaStatus.COMPLETED, 0L);
    }

    @Test
    void aStepThatFailsForGoodCompensatesEveryStartedStepLastFirst() {
        var definition = SagaDefinition.of("order", Order.class,
                Step.of("reserve", succeeds("reservation"), undo()),
                Step.of("charge", succeeds("payment"), undo()),
                Step.of("ship", fails("no courier"), undo()));
        start(definition);

        engine.start(definition, "o-2", new Order("o-2", 10));
        SagaView view = awaitAtRest("o-2");

        assertThat(view.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(calls).extracting(Call::kind, Call::step).containsExactly(
                org.assertj.core.groups.Tuple.tuple("run", "reserve"),
                org.assertj.core.groups.Tuple.tuple("run", "charge"),
                org.assertj.core.groups.Tuple.tuple("run", "ship"),
                org.assertj.core.groups.Tuple.tuple("undo", "ship"),
                org.assertj.core.groups.Tuple.tuple("undo", "charge"),
                org.assertj.core.groups.Tuple.tuple("undo", "reserve"));
        // a compensation learns whether its action answered
        assertThat(calls.get(3).result()).isEmpty();
        assertThat(calls.get(4).result()).contains("payment:o-2");
        assertThat(view.error()).contains("ship: IllegalStateException: no courier");
        assertThat(view.history()).extracting(event -> event.getClass().getSimpleName()).containsSubsequence(
                "StepFailed", "SagaFailed", "CompensationStarted", "StepCompensated", "SagaCompensated");
    }

    @Test
    void retriesAFailingStepWithGrowingDelaysAndTellsEachTryItIsARetry() {
        var failures = new AtomicInteger(2);
        var definition = SagaDefinition.of("order", Order.class,
                Step.<Order>of("charge", (order, call) -> {
                    calls.add(new Call("run", call.step(), call.attempt(), call.isRetry(), call.idempotencyKey(), call.result()));
                    if (failures.getAndDecrement() > 0) {
                        throw new IllegalStateException("gateway busy");
                    }
                    return "paid";
                }, undo()).withRetry(new RetryPolicy(3, Duration.ofMillis(20), 3.0, Duration.ofSeconds(1))));
        start(definition);

        engine.start(definition, "o-3", new Order("o-3", 10));
        SagaView view = awaitAtRest("o-3");

        assertThat(view.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(calls).extracting(Call::attempt, Call::retry).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, false),
                org.assertj.core.groups.Tuple.tuple(2, true),
                org.assertj.core.groups.Tuple.tuple(3, true));
        assertThat(calls).extracting(Call::key).containsOnly("o-3/charge");
        List<StepFailed> failed = view.history().stream()
                .filter(StepFailed.class::isInstance).map(StepFailed.class::cast).toList();
        assertThat(failed).hasSize(2).allSatisfy(f -> assertThat(f.retryAt()).isNotNull());
    }

    @Test
    void aFailingStepGivesUpAfterItsLimit() {
        var definition = SagaDefinition.of("order", Order.class,
                Step.of("reserve", succeeds("r"), undo()),
                Step.of("charge", fails("card declined"), undo())
                        .withRetry(new RetryPolicy(3, Duration.ofMillis(1), 2.0, Duration.ofMillis(5))));
        start(definition);

        engine.start(definition, "o-4", new Order("o-4", 10));
        SagaView view = awaitAtRest("o-4");

        assertThat(view.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(calls.stream().filter(c -> c.kind().equals("run") && c.step().equals("charge")).count()).isEqualTo(3);
        assertThat(view.steps().get(1).attempts()).isEqualTo(3);
    }

    @Test
    void aTryThatTakesLongerThanTheTimeoutFailsAndIsRetried() {
        var hung = new CountDownLatch(1);
        var definition = SagaDefinition.of("order", Order.class,
                Step.<Order>of("charge", (order, call) -> {
                    calls.add(new Call("run", call.step(), call.attempt(), call.isRetry(), call.idempotencyKey(), call.result()));
                    if (call.attempt() == 1) {
                        hung.await();
                    }
                    return "paid";
                }, undo()).withTimeout(Duration.ofMillis(100))
                        .withRetry(new RetryPolicy(2, Duration.ZERO, 1.0, Duration.ZERO)));
        start(definition);

        engine.start(definition, "o-5", new Order("o-5", 10));
        SagaView view = awaitAtRest("o-5");

        assertThat(view.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(view.history()).filteredOn(StepFailed.class::isInstance)
                .singleElement().satisfies(f -> assertThat(((StepFailed) f).error()).isEqualTo("timed out after PT0.1S"));
        assertThat(calls).extracting(Call::attempt).containsExactly(1, 2);
    }

    @Test
    void aCompensationThatFailsForGoodNeedsAttentionThenCanBeRetriedOrResolved() {
        var refundFailures = new AtomicInteger(2);
        var definition = SagaDefinition.of("order", Order.class,
                Step.of("charge", succeeds("payment"), undoFailing(refundFailures))
                        .withCompensationRetry(new RetryPolicy(2, Duration.ofMillis(1), 1.0, Duration.ofMillis(1))),
                Step.of("ship", fails("no courier"), undo()));
        start(definition);

        engine.start(definition, "o-6", new Order("o-6", 10));
        SagaView stuck = awaitAtRest("o-6");

        assertThat(stuck.status()).isEqualTo(SagaStatus.NEEDS_ATTENTION);
        assertThat(stuck.error()).contains("compensation of charge: IllegalStateException: refund service down");
        assertThat(stuck.steps().getFirst().compensationAttempts()).isEqualTo(2);
        assertThat(engine.start(definition, "o-6", new Order("o-6", 1))).isFalse();

        // the refund service is back: a person asks for another go
        engine.retry("o-6", "refund service restarted");
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.find("o-6").orElseThrow().status() == SagaStatus.COMPENSATED);
        assertThat(calls).filteredOn(c -> c.kind().equals("undo") && c.step().equals("charge"))
                .extracting(Call::attempt, Call::retry).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, false),
                        org.assertj.core.groups.Tuple.tuple(2, true),
                        org.assertj.core.groups.Tuple.tuple(3, true));

        assertThatThrownBy(() -> engine.resolve("o-6", "done")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is COMPENSATED");
    }

    @Test
    void aPersonCanMarkASagaThatNeedsAttentionAsResolved() {
        var definition = SagaDefinition.of("order", Order.class,
                Step.of("charge", succeeds("payment"), undoFailing(new AtomicInteger(Integer.MAX_VALUE))),
                Step.of("ship", fails("no courier"), undo()));
        start(definition);
        engine.start(definition, "o-7", new Order("o-7", 10));
        assertThat(awaitAtRest("o-7").status()).isEqualTo(SagaStatus.NEEDS_ATTENTION);

        engine.resolve("o-7", "refunded by hand");

        assertThat(engine.find("o-7").orElseThrow().status()).isEqualTo(SagaStatus.RESOLVED);
        assertThat(engine.list(Optional.of(SagaStatus.RESOLVED))).extracting(SagaView::sagaId).containsExactly("o-7");
        assertThat(engine.list(Optional.of(SagaStatus.NEEDS_ATTENTION))).isEmpty();
        assertThatThrownBy(() -> engine.retry("o-7", "again")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> engine.retry("nope", "again")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resumesAfterAStopDuringAnActionAndTellsTheNextTryItIsARetry() {
        var definition = SagaDefinition.of("order", Order.class,
                Step.of("reserve", succeeds("r"), undo()),
                Step.of("charge", succeeds("paid"), undo()).withRetry(RetryPolicy.exponential(3, Duration.ZERO, Duration.ZERO)));
        // what a process that stopped while charging left behind
        var serializer = new EventSerializer(new EventTypeRegistry().registerSealed(SagaEvent.class));
        store.append(SagaEngine.streamOf("o-8"), ExpectedVersion.noStream(), List.of(
                data(serializer, new SagaStarted("order", "{\"id\":\"o-8\",\"amount\":5}")),
                data(serializer, new StepStarted("reserve", 1)),
                data(serializer, new SagaEvent.StepSucceeded("reserve", 1, "r:o-8")),
                data(serializer, new StepStarted("charge", 1))));
        start(definition);

        engine.resumeAll();
        SagaView view = awaitAtRest("o-8");

        assertThat(view.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(calls).containsExactly(new Call("run", "charge", 2, true, "o-8/charge", Optional.empty()));
    }

    @Test
    void closingDuringACallLeavesItsOutcomeUnrecordedAndTheNextEngineRetriesIt() {
        var release = new CountDownLatch(1);
        var definition = SagaDefinition.of("order", Order.class,
                Step.<Order>of("charge", (order, call) -> {
                    calls.add(new Call("run", call.step(), call.attempt(), call.isRetry(), call.idempotencyKey(), call.result()));
                    if (call.attempt() == 1) {
                        release.await();
                    }
                    return "paid";
                }, undo()).withRetry(RetryPolicy.exponential(2, Duration.ZERO, Duration.ZERO)));
        start(definition);
        engine.start(definition, "o-10", new Order("o-10", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 1);

        engine.close();

        // the same node again (a restarted process): its interrupted try is retried at once
        engine = SagaEngine.builder(store).nodeId(nodeOfLastTry("o-10")).register(definition).build();
        assertThat(engine.find("o-10").orElseThrow().history()).last()
                .isInstanceOfSatisfying(StepStarted.class, started -> assertThat(started.attempt()).isEqualTo(1));
        engine.resumeAll();
        assertThat(awaitAtRest("o-10").status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(calls).extracting(Call::attempt, Call::retry).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, false),
                org.assertj.core.groups.Tuple.tuple(2, true));
    }

    @Test
    void aStepInterruptedOnItsLastTryFailsTheSagaAndIsCompensated() {
        var definition = SagaDefinition.of("order", Order.class, Step.of("charge", succeeds("paid"), undo()));
        var serializer = new EventSerializer(new EventTypeRegistry().registerSealed(SagaEvent.class));
        store.append(SagaEngine.streamOf("o-9"), ExpectedVersion.noStream(), List.of(
                data(serializer, new SagaStarted("order", "{\"id\":\"o-9\",\"amount\":5}")),
                data(serializer, new StepStarted("charge", 1))));
        start(definition);

        engine.resumeAll();
        SagaView view = awaitAtRest("o-9");

        assertThat(view.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(view.error()).hasValueSatisfying(e -> assertThat(e).contains("stopped during attempt 1"));
        assertThat(calls).containsExactly(new Call("undo", "charge", 1, false, "o-9/charge", Optional.empty()));
    }

    @Test
    void refusesIdsThatCannotNameAStreamAndDefinitionsItDoesNotKnow() {
        var definition = SagaDefinition.of("order", Order.class, Step.of("charge", succeeds("paid"), undo()));
        start(definition);
        assertThatThrownBy(() -> engine.start(definition, "no spaces", new Order("x", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("saga id");
        var other = SagaDefinition.of("refund", Order.class, Step.of("pay", succeeds("paid"), undo()));
        assertThatThrownBy(() -> engine.start(other, "r-1", new Order("x", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered");
        assertThatThrownBy(() -> SagaDefinition.of("dup", Order.class,
                Step.of("a", succeeds("x"), undo()), Step.of("a", succeeds("y"), undo())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    private String nodeOfLastTry(String sagaId) {
        return engine.find(sagaId).orElseThrow().history().stream().filter(StepStarted.class::isInstance)
                .map(event -> ((StepStarted) event).node()).reduce((a, b) -> b).orElseThrow();
    }

    private static EventData data(EventSerializer serializer, SagaEvent event) {
        return serializer.serialize(event, Metadata.EMPTY);
    }
}
