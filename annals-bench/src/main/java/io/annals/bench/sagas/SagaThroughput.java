package io.annals.bench.sagas;

import io.annals.bench.BenchFailures;
import io.annals.bench.measure.ThroughputRunner;
import io.annals.bench.report.CaseResult;
import io.annals.bench.report.Target;
import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.store.StoreSuite;
import io.annals.bench.store.cases.AppendSingleEventsCase;
import io.annals.bench.subject.AnnalsStoreOpener;
import io.annals.bench.subject.AnnalsSubject;
import io.annals.bench.subject.OpenedStore;
import io.annals.event.Position;
import io.annals.sagas.SagaDefinition;
import io.annals.sagas.SagaEngine;
import io.annals.sagas.Step;
import io.annals.store.EventFilter;
import io.annals.store.Subscription;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code saga-throughput}: clients each start a three-step saga and wait until its
 * {@code SagaCompleted} is in the store, then start the next (64 clients unless told otherwise). Each step calls an in-process
 * stand-in service that answers at once, so the figure is the engine's own cost: the saga's
 * eight appends and the reads of its stream. The baseline is the store suite's
 * {@code append-64-clients} on the same database, measured in turns with it, round after
 * round; the medians count.
 */
final class SagaThroughput {

    static final String CASE = "saga-throughput";
    static final String BASELINE = "append-64-clients";
    static final int CLIENTS = 64;
    private static final double TARGET = 0.1;
    private static final String COMPLETED = "SagaCompleted";
    private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(60);

    record Order(String id) {
    }

    /** The stand-in for a remote service: it keeps what it was asked to do, by idempotency key. */
    private static final class StandIn {
        private final Map<String, String> done = new ConcurrentHashMap<>();

        String call(String key) {
            return done.computeIfAbsent(key, k -> "ok");
        }

        void undo(String key) {
            done.remove(key);
        }
    }

    private final AnnalsStoreOpener opener;
    private final PrintWriter progress;
    private final int sagaClients;

    /** @param sagaClients how many sagas run at once, each client starting the next when its saga completed */
    SagaThroughput(AnnalsStoreOpener opener, PrintWriter progress, int sagaClients) {
        this.opener = opener;
        this.progress = progress;
        this.sagaClients = sagaClients;
    }

    CaseResult run(Duration warmup, Duration measure, int rounds) {
        var figures = new LinkedHashMap<String, List<Double>>();
        var failures = new LinkedHashMap<String, String>();
        List<String> turns = List.of(BASELINE, "annals");
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < turns.size(); turn++) {
                String name = turns.get((turn + round) % turns.size());
                if (failures.containsKey(name)) {
                    continue;
                }
                String label = rounds == 1 ? name : name + " (round " + (round + 1) + "/" + rounds + ")";
                progress.printf("[%s] %s ...%n", CASE, label);
                progress.flush();
                try {
                    double perSecond = name.equals(BASELINE) ? appends(warmup, measure) : sagas(warmup, measure);
                    progress.printf("[%s] %s: %,d %s%n", CASE, label, Math.round(perSecond),
                            name.equals(BASELINE) ? "events/s" : "sagas/s");
                    figures.computeIfAbsent(name, key -> new ArrayList<>()).add(perSecond);
                } catch (Exception e) {
                    String message = BenchFailures.describe(e);
                    progress.printf("[%s] %s FAILED: %s%n", CASE, label, message);
                    failures.put(name, message);
                }
            }
        }
        var baselines = new LinkedHashMap<String, Double>();
        if (figures.containsKey(BASELINE)) {
            baselines.put(BASELINE, StoreSuite.median(figures.get(BASELINE)));
        }
        double annals = figures.containsKey("annals") ? StoreSuite.median(figures.get("annals")) : Double.NaN;
        return new CaseResult(SagasBenchCommand.SUITE, CASE, Unit.SAGAS_PER_SECOND, annals, baselines,
                List.of(new Target.AtLeastTimes(BASELINE, TARGET)), failures);
    }

    private double appends(Duration warmup, Duration measure) throws Exception {
        var append = AppendSingleEventsCase.concurrentClients(CLIENTS);
        try (var subject = new AnnalsSubject(opener.open(CASE + "-" + BASELINE, append.connections()))) {
            return append.measure(subject, new BenchSettings(warmup, measure, 1, 1, 1));
        }
    }

    private double sagas(Duration warmup, Duration measure) throws Exception {
        var service = new StandIn();
        Step.Action<Order> call = (order, step) -> service.call(step.idempotencyKey());
        Step.Compensation<Order> undo = (order, step) -> service.undo(step.idempotencyKey());
        var definition = SagaDefinition.of("order", Order.class,
                Step.of("reserve", call, undo), Step.of("charge", call, undo), Step.of("ship", call, undo));
        var waiting = new ConcurrentHashMap<String, CompletableFuture<Void>>();
        try (OpenedStore opened = opener.open(CASE + "-annals", sagaClients);
             var engine = SagaEngine.builder(opened.store()).register(definition).build();
             Subscription completions = opened.store().subscribeToAll(Position.START,
                     new EventFilter(Set.of(COMPLETED), "saga-"), 1_000, events -> events.forEach(event -> {
                         CompletableFuture<Void> done = waiting.remove(event.streamId().value());
                         if (done != null) {
                             done.complete(null);
                         }
                     }))) {
            return ThroughputRunner.eventsPerSecond(sagaClients, warmup, measure, (client, iteration) -> {
                String sagaId = "c" + client + "-" + iteration;
                var done = new CompletableFuture<Void>();
                waiting.put(SagaEngine.streamOf(sagaId).value(), done);
                engine.start(definition, sagaId, new Order(sagaId));
                done.get(SAGA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return 1;
            });
        }
    }
}
