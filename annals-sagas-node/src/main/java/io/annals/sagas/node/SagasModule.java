package io.annals.sagas.node;

import io.annals.node.ApiProblem;
import io.annals.node.HealthCheck.Health;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.node.Role;
import io.annals.sagas.SagaEngine;
import io.annals.sagas.SagaEvent;
import io.annals.sagas.SagaStatus;
import io.annals.sagas.SagaView;
import io.annals.sagas.outbox.OutboxRelay;
import io.annals.sagas.process.ProcessManagerRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sagas in the node, for an application that embeds the node and builds its own
 * {@link SagaEngine} (the definitions are code): hand the engine, and the process manager
 * runtimes and outbox relays to watch, to this module.
 * <p>
 * Routes (admin): {@code GET /api/sagas?status=needs-attention}, {@code GET /api/sagas/{sagaId}}
 * (steps, history, last error), {@code POST /api/sagas/{sagaId}/retry} and
 * {@code POST /api/sagas/{sagaId}/resolve} with {@code {"note": "..."}}. At start it resumes every
 * unfinished saga; when the node stops it closes the relays, the runtimes and the engine. Health part {@code sagas}: down when a runtime or relay stopped. Meters:
 * {@code annals.sagas.instances} by status, {@code annals.sagas.step.duration} by saga, step,
 * kind and outcome, {@code annals.sagas.deadlines.pending} by process,
 * {@code annals.sagas.outbox.delivered} and {@code annals.sagas.outbox.backlog} by relay. The routes
 * are described in the node's {@code /openapi.json} (module {@value #NAME}).
 */
public final class SagasModule implements NodeModule {

    public static final String NAME = "sagas";
    public static final String PATH = "/api/sagas";
    private static final int MAX_NOTE = 2_000;

    private final SagaEngine engine;
    private final List<ProcessManagerRuntime<?, ?>> runtimes;
    private final List<OutboxRelay> relays;

    /** What a person sends to retry or resolve a saga: why. */
    record Note(String note) {
    }

    /** One saga in a list; {@code error} is null when none was recorded. */
    record Summary(String sagaId, String saga, String status, long version, String error) {
    }

    /** One step of a saga; {@code result} is null until its action answered. */
    record StepDetail(String name, int attempts, boolean succeeded, String result, int compensationAttempts,
                      boolean compensated) {
    }

    /** One saga in full. */
    record Detail(String sagaId, String saga, String status, long version, String error,
                  List<StepDetail> steps, List<Map<String, Object>> history) {
    }

    // the sagas' own mapper: it writes their instants as ISO-8601 text
    private static final com.fasterxml.jackson.databind.ObjectMapper EVENTS = io.annals.serialization.EventSerializer.defaultMapper();

    public SagasModule(SagaEngine engine) {
        this(engine, List.of(), List.of());
    }

    public SagasModule(SagaEngine engine, List<ProcessManagerRuntime<?, ?>> runtimes, List<OutboxRelay> relays) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.runtimes = List.copyOf(runtimes);
        this.relays = List.copyOf(relays);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void install(NodeContext node) {
        node.routes().get(PATH, Role.ADMIN, ctx -> {
            Optional<SagaStatus> status = Optional.ofNullable(ctx.queryParam("status")).map(SagasModule::status);
            List<Summary> sagas = engine.list(status).stream()
                    .map(view -> new Summary(view.sagaId(), view.saga(), label(view.status()), view.version(),
                            view.error().orElse(null)))
                    .toList();
            node.json().send(ctx, 200, Map.of("sagas", sagas));
        });
        node.routes().get(PATH + "/{sagaId}", Role.ADMIN, ctx -> node.json().send(ctx, 200, detail(find(ctx))));
        node.routes().post(PATH + "/{sagaId}/retry", Role.ADMIN, ctx -> {
            String sagaId = find(ctx).sagaId();
            String note = note(node, ctx);
            act(() -> engine.retry(sagaId, note));
            node.json().send(ctx, 202, detail(engine.find(sagaId).orElseThrow()));
        });
        node.routes().post(PATH + "/{sagaId}/resolve", Role.ADMIN, ctx -> {
            String sagaId = find(ctx).sagaId();
            String note = note(node, ctx);
            act(() -> engine.resolve(sagaId, note));
            node.json().send(ctx, 200, detail(engine.find(sagaId).orElseThrow()));
        });
        node.healthCheck(NAME, () -> {
            var failed = new ArrayList<String>();
            for (int i = 0; i < runtimes.size(); i++) {
                runtimes.get(i).failure().ifPresent(e -> failed.add("process manager: " + e));
            }
            for (OutboxRelay relay : relays) {
                relay.failure().ifPresent(e -> failed.add("outbox relay: " + e));
            }
            Map<String, Object> details = new LinkedHashMap<>();
            engine.countByStatus().forEach((status, count) -> details.put(label(status), count));
            details.put("failed", failed);
            return failed.isEmpty() ? Health.up(details) : Health.down(details);
        });
        meters(node.meterRegistry());
        node.onStart(engine::resumeAll);
        // before the node closes the store they use
        node.onStop(() -> {
            relays.forEach(OutboxRelay::close);
            runtimes.forEach(ProcessManagerRuntime::close);
            engine.close();
        });
    }

    private void meters(MeterRegistry registry) {
        for (SagaStatus status : SagaStatus.values()) {
            Gauge.builder("annals.sagas.instances", engine, e -> e.countByStatus().get(status))
                    .tag("status", label(status)).description("saga instances by status, of those the engine loaded")
                    .register(registry);
        }
        engine.observe((saga, step, compensation, took, succeeded) -> Timer.builder("annals.sagas.step.duration")
                .tag("saga", saga).tag("step", step).tag("kind", compensation ? "compensation" : "action")
                .tag("outcome", succeeded ? "success" : "failure")
                .description("one try of a step's action or compensation").register(registry).record(took));
        for (ProcessManagerRuntime<?, ?> runtime : runtimes) {
            Gauge.builder("annals.sagas.deadlines.pending", runtime, ProcessManagerRuntime::pendingDeadlines)
                    .tag("process", runtime.name()).description("deadlines set and neither fired nor cancelled")
                    .register(registry);
        }
        for (OutboxRelay relay : relays) {
            FunctionCounter.builder("annals.sagas.outbox.delivered", relay, OutboxRelay::delivered)
                    .tag("relay", relay.name()).description("outbox messages delivered since the relay started")
                    .register(registry);
            Gauge.builder("annals.sagas.outbox.backlog", relay, OutboxRelay::backlog)
                    .tag("relay", relay.name())
                    .description("outbox messages recorded and not yet delivered, counted up to " + OutboxRelay.BACKLOG_CAP)
                    .register(registry);
        }
    }

    private SagaView find(Context ctx) {
        String sagaId = ctx.pathParam("sagaId");
        try {
            SagaEngine.streamOf(sagaId);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        return engine.find(sagaId).orElseThrow(() -> ApiProblem.notFound("no saga " + sagaId));
    }

    private static String note(NodeContext node, Context ctx) {
        Note body = node.bodies().readJson(ctx, Note.class);
        if (body == null || body.note() == null || body.note().isBlank() || body.note().length() > MAX_NOTE) {
            throw ApiProblem.badRequest("the body must be {\"note\": \"...\"}, a note of 1 to " + MAX_NOTE + " characters saying why");
        }
        return body.note();
    }

    private static void act(Runnable action) {
        try {
            action.run();
        } catch (IllegalStateException e) {
            throw ApiProblem.conflict(e.getMessage());
        }
    }

    private static Detail detail(SagaView view) {
        List<Map<String, Object>> history = new ArrayList<>();
        for (SagaEvent event : view.history()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", event.getClass().getSimpleName());
            entry.put("data", EVENTS.valueToTree(event));
            history.add(entry);
        }
        List<StepDetail> steps = view.steps().stream().map(step -> new StepDetail(step.name(), step.attempts(), step.succeeded(),
                step.result().orElse(null), step.compensationAttempts(), step.compensated())).toList();
        return new Detail(view.sagaId(), view.saga(), label(view.status()), view.version(), view.error().orElse(null),
                steps, history);
    }

    static String label(SagaStatus status) {
        return status.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static SagaStatus status(String text) {
        for (SagaStatus status : SagaStatus.values()) {
            if (label(status).equals(text)) {
                return status;
            }
        }
        throw ApiProblem.badRequest("status must be one of " + java.util.Arrays.stream(SagaStatus.values()).map(SagasModule::label).toList()
                + ", got '" + text + "'");
    }
}
