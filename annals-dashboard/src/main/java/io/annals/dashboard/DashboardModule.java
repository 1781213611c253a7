package io.annals.dashboard;

import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.node.ApiProblem;
import io.annals.node.NodeContext;
import io.annals.node.NodeModule;
import io.annals.node.QueryParams;
import io.annals.node.Role;
import io.annals.store.StreamState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The web dashboard: plain HTML, CSS and JavaScript at {@code /} that operate the node through
 * its own API (users, live tail, streams and time travel, projections, dead letters, sagas, CEP,
 * charts). The page asks for a key when the node has keys and sends it with every call.
 * <p>
 * Routes: {@code GET /} and {@code GET /ui/{file}} (public: the page holds no data),
 * {@code GET /api/dashboard/session} (public: the role the caller's key grants, so that the page
 * asks for a key only when it needs one and offers only the views the key may use),
 * {@code GET /api/dashboard/metrics} (user: throughput and latency over the last minutes),
 * {@code GET /api/dashboard/head} (user: the position of the last event, where the live tail starts) and
 * {@code GET /api/dashboard/streams/{streamId}/states} (user: the state after each event of a
 * stream, folded by the decider a module registered for its category, else by merging the events'
 * data). Settings: {@code dashboard.sample-interval} (default 2s) and {@code dashboard.history}
 * (default 10m), how often the charts' figures are sampled and for how long they are kept.
 */
public final class DashboardModule implements NodeModule {

    public static final String NAME = "dashboard";
    public static final String API = "/api/dashboard";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void install(NodeContext node) {
        Duration interval = node.settings().duration("sample-interval", Duration.ofSeconds(2));
        Duration kept = node.settings().duration("history", Duration.ofMinutes(10));
        if (interval.isZero() || interval.isNegative() || kept.compareTo(interval) < 0) {
            throw new IllegalArgumentException("dashboard.sample-interval must be positive and at most dashboard.history");
        }
        StaticFiles files = StaticFiles.load();
        var history = new MetricsHistory(node.meterRegistry(), Clock.systemUTC(), interval, kept);

        node.routes().get("/", Role.PUBLIC, ctx -> files.serve(ctx, StaticFiles.INDEX));
        node.routes().get("/ui/{file}", Role.PUBLIC, ctx -> files.serve(ctx, ctx.pathParam("file")));
        node.routes().get(API + "/session", Role.PUBLIC, ctx -> node.json().send(ctx, 200, Map.of("role", node.roleOf(ctx).label())));
        node.routes().get(API + "/metrics", Role.USER, ctx -> node.json().send(ctx, 200, Map.of(
                "intervalSeconds", interval.toMillis() / 1000.0, "samples", history.samples())));
        node.routes().get(API + "/head", Role.USER, ctx -> node.json().send(ctx, 200,
                Map.of("position", node.store().headPosition().toString())));
        node.routes().get(API + "/streams/{streamId}/states", Role.USER, ctx -> {
            StreamId streamId = QueryParams.streamId(ctx);
            switch (node.store().streamState(streamId)) {
                case StreamState.Absent absent -> throw ApiProblem.notFound("stream " + streamId + " does not exist");
                case StreamState.Tombstoned tombstoned -> throw ApiProblem.of(410, "stream " + streamId + " was deleted for ever");
                case StreamState.Active active -> {
                    List<RecordedEvent> events = node.store().readStreamForward(streamId, 0, StateHistory.MAX_EVENTS + 1);
                    boolean truncated = events.size() > StateHistory.MAX_EVENTS;
                    List<RecordedEvent> folded = truncated ? events.subList(0, StateHistory.MAX_EVENTS) : events;
                    node.json().send(ctx, 200, StateHistory.answer(node.json().mapper(), streamId.value(), folded, truncated,
                            node.streamStates().forStream(streamId)));
                }
            }
        });

        node.onStart(() -> history.start(node.store()));
        node.onStop(history::close);
    }
}
