package io.annals.projection.node;

import io.annals.node.ApiProblem;
import io.annals.node.HealthCheck.Health;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.node.QueryParams;
import io.annals.node.Role;
import io.annals.projection.DeadLetter;
import io.annals.projection.ProjectionRuntime;
import io.annals.projection.ProjectionState;
import io.annals.projection.ProjectionStatus;
import io.annals.store.jdbc.JdbcEventStore;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projections in the node: a {@link ProjectionRuntime} over the node's store (SQLite or
 * PostgreSQL; over another store the module serves empty lists), with the projections an
 * embedding application registers ({@link #ProjectionsModule(Consumer)}).
 * <p>
 * Settings ({@code --set projections.KEY=VALUE}): {@code lease} (default 10s), {@code owner}
 * (this node's name in leases; default a random one).
 * <p>
 * Routes (admin): {@code GET /api/projections} (state, checkpoints, lag, rate, errors, rebuild
 * progress), {@code POST /api/projections/{name}/rebuild}, {@code GET /api/dead-letters}
 * ({@code ?projection=&limit=}), {@code POST /api/dead-letters/{id}/retry},
 * {@code DELETE /api/dead-letters/{id}} (discard). Health part {@code projections}: down while a
 * projection has failed. Meters {@code annals.projection.*} tagged with the projection.
 */
public final class ProjectionsModule implements NodeModule {

    public static final String NAME = "projections";
    public static final String PROJECTIONS_PATH = "/api/projections";
    public static final String DEAD_LETTERS_PATH = "/api/dead-letters";
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionsModule.class);

    private final Consumer<ProjectionRuntime> registrations;
    private volatile ProjectionRuntime runtime;

    /** The module as {@code --modules projections} loads it: the runtime with no projections of its own. */
    public ProjectionsModule() {
        this(runtime -> { });
    }

    /** {@code registrations} registers the application's projections when the node starts. */
    public ProjectionsModule(Consumer<ProjectionRuntime> registrations) {
        this.registrations = registrations;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void install(NodeContext node) {
        Duration lease = node.settings().duration("lease", Duration.ofSeconds(10));
        Optional<String> owner = node.settings().get("owner");

        node.routes().get(PROJECTIONS_PATH, Role.ADMIN, ctx -> node.json().send(ctx, 200,
                Map.of("projections", current().map(r -> r.status().stream().map(ProjectionsModule::json).toList())
                        .orElse(List.of()))));
        node.routes().post(PROJECTIONS_PATH + "/{name}/rebuild", Role.ADMIN, ctx -> {
            String name = ctx.pathParam("name");
            ProjectionRuntime running = current().orElseThrow(() -> ApiProblem.notFound("no projection " + name));
            answering(() -> {
                running.rebuild(name);
                return null;
            });
            node.json().send(ctx, 202, json(running.status(name).orElseThrow()));
        });
        node.routes().get(DEAD_LETTERS_PATH, Role.ADMIN, ctx -> {
            int limit = QueryParams.limit(ctx);
            Optional<String> projection = Optional.ofNullable(QueryParams.single(ctx, "projection"));
            List<Map<String, Object>> letters = current()
                    .map(r -> r.deadLetters(projection, limit).stream().map(ProjectionsModule::json).toList())
                    .orElse(List.of());
            node.json().send(ctx, 200, Map.of("deadLetters", letters));
        });
        node.routes().post(DEAD_LETTERS_PATH + "/{id}/retry", Role.ADMIN, ctx -> {
            long id = deadLetterId(ctx);
            ProjectionRuntime running = current().orElseThrow(() -> ApiProblem.notFound("no dead letter " + id));
            ProjectionRuntime.RetryResult result = answering(() -> running.retry(id));
            var body = new LinkedHashMap<String, Object>();
            body.put("applied", result.applied());
            result.error().ifPresent(error -> body.put("error", error));
            node.json().send(ctx, 200, body);
        });
        node.routes().delete(DEAD_LETTERS_PATH + "/{id}", Role.ADMIN, ctx -> {
            long id = deadLetterId(ctx);
            ProjectionRuntime running = current().orElseThrow(() -> ApiProblem.notFound("no dead letter " + id));
            answering(() -> {
                running.discard(id);
                return null;
            });
            ctx.status(204);
        });
        node.healthCheck(NAME, () -> {
            List<String> failed = current().map(r -> r.status().stream()
                    .filter(s -> s.state() == ProjectionState.FAILED).map(ProjectionStatus::name).toList())
                    .orElse(List.of());
            Map<String, Object> details = Map.of("projections", current().map(r -> r.status().size()).orElse(0),
                    "failed", failed);
            return failed.isEmpty() ? Health.up(details) : Health.down(details);
        });
        node.onStart(() -> {
            if (!(node.store() instanceof JdbcEventStore store)) {
                LOG.info("projections: the store keeps no tables (not SQLite or PostgreSQL); no projections run");
                return;
            }
            var builder = ProjectionRuntime.builder(store).lease(lease).meterRegistry(node.meterRegistry());
            owner.ifPresent(builder::owner);
            ProjectionRuntime started = builder.build();
            try {
                registrations.accept(started);
                started.start();
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            runtime = started;
            LOG.info("projections: running {}", started.status().stream().map(ProjectionStatus::name).toList());
        });
        node.onStop(() -> current().ifPresent(ProjectionRuntime::close));
    }

    private Optional<ProjectionRuntime> current() {
        return Optional.ofNullable(runtime);
    }

    private interface Call<T> {
        T run();
    }

    /** The runtime's refusals as problems: unknown is 404, a state that does not allow it 409. */
    private static <T> T answering(Call<T> call) {
        try {
            return call.run();
        } catch (NoSuchElementException e) {
            throw ApiProblem.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiProblem.conflict(e.getMessage());
        }
    }

    private static long deadLetterId(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest("a dead letter id is a positive number, got '" + QueryParams.abbreviate(text) + "'");
    }

    private static Map<String, Object> json(ProjectionStatus status) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", status.name());
        body.put("state", status.state().name());
        body.put("eventsHandled", status.eventsHandled());
        body.put("eventsPerSecond", status.eventsPerSecond());
        body.put("errors", status.errors());
        body.put("lagEvents", status.lagEvents());
        body.put("lagSeconds", status.lag().toMillis() / 1000.0);
        body.put("partitions", status.partitions().stream().map(partition -> {
            var json = new LinkedHashMap<String, Object>();
            json.put("partition", partition.partition());
            json.put("state", partition.state().name());
            json.put("checkpoint", partition.checkpoint().toString());
            json.put("held", partition.held());
            partition.lastError().ifPresent(error -> json.put("lastError", error));
            return json;
        }).toList());
        status.rebuild().ifPresent(progress -> {
            var json = new LinkedHashMap<String, Object>();
            json.put("eventsDone", progress.eventsDone());
            json.put("eventsPerSecond", progress.eventsPerSecond());
            json.put("eventsLeft", progress.eventsLeft());
            progress.timeLeft().ifPresent(left -> json.put("secondsLeft", left.toMillis() / 1000.0));
            body.put("rebuild", json);
        });
        return body;
    }

    private static Map<String, Object> json(DeadLetter letter) {
        var body = new LinkedHashMap<String, Object>();
        body.put("id", letter.id());
        body.put("projection", letter.projection());
        body.put("partition", letter.partition());
        body.put("eventId", letter.eventId().toString());
        body.put("streamId", letter.streamId().value());
        body.put("version", letter.version());
        body.put("position", letter.position().toString());
        body.put("type", letter.eventType());
        body.put("error", letter.error());
        body.put("attempts", letter.attempts());
        body.put("blocking", letter.blocking());
        body.put("parkedAt", letter.parkedAt().toString());
        return body;
    }
}
