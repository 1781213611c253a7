package io.annals.server.http.events;

import io.annals.event.Position;
import io.annals.node.ApiProblem;
import io.annals.node.QueryParams;
import io.annals.node.Role;
import io.annals.node.RequestBodies;
import io.annals.node.Routes;
import io.annals.server.http.StoreCapabilities;
import io.annals.store.EventHandler;
import io.annals.store.EventQuery;
import io.annals.store.QuerySubscriptions;
import io.annals.store.Subscription;
import io.annals.server.http.StoreApiMetrics;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * {@code GET /api/events/stream}: every event after a position as Server-Sent Events, first the
 * history, then live; {@code GET /api/events/query/stream}: the same for the events that match a
 * query. A reconnecting client sends {@code Last-Event-ID} (the last position it saw), which
 * takes precedence over {@code ?after=}.
 */
public final class EventStreamRoutes {

    public static final String PATH = "/api/events/stream";
    public static final String QUERY_PATH = "/api/events/query/stream";

    private final EventStore store;
    private final LiveStreams liveStreams;
    private final Duration heartbeat;
    private final StoreApiMetrics metrics;
    private final Clock clock;
    private final RequestBodies bodies;

    public EventStreamRoutes(EventStore store, LiveStreams liveStreams, Duration heartbeat, StoreApiMetrics metrics, Clock clock,
                             RequestBodies bodies) {
        this.store = store;
        this.bodies = bodies;
        this.liveStreams = liveStreams;
        this.heartbeat = heartbeat;
        this.metrics = metrics;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.get(PATH, Role.USER, this::streamAll);
        routes.get(QUERY_PATH, Role.USER, this::streamByQuery);
    }

    private void streamAll(Context ctx) throws IOException {
        Position after = startingPoint(ctx);
        EventFilter filter = EventFilters.from(ctx);
        stream(ctx, handler -> store.subscribeToAll(after, filter, handler));
    }

    private void streamByQuery(Context ctx) throws IOException {
        Position after = startingPoint(ctx);
        EventQuery query = EventQueries.from(ctx, bodies);
        QuerySubscriptions subscriptions = StoreCapabilities.require(store, QuerySubscriptions.class, "subscribe by query");
        stream(ctx, handler -> subscriptions.subscribeToQuery(query, after, handler));
    }

    private static Position startingPoint(Context ctx) {
        String lastEventId = ctx.header("Last-Event-ID");
        return lastEventId != null && !lastEventId.isBlank()
                ? QueryParams.position("Last-Event-ID", lastEventId.trim())
                : QueryParams.position("after", QueryParams.single(ctx, "after"));
    }

    private void stream(Context ctx, Function<EventHandler, Subscription> subscribe) throws IOException {
        HttpServletResponse response = ctx.res();
        if (ctx.method() == HandlerType.HEAD) {
            // the headers a stream would start with, and no stream: nothing would read it
            startResponse(response);
            return;
        }
        var session = new EventStreamSession(response.getOutputStream(), heartbeat, metrics, clock);
        if (!liveStreams.register(session)) {
            throw new ApiProblem(503, "Service Unavailable", "the node is shutting down");
        }
        try {
            session.run(subscribe, () -> startResponse(response));
        } catch (IOException clientLeft) {
            // the client closed the connection: nothing to answer
        } finally {
            liveStreams.unregister(session);
        }
    }

    private static void startResponse(HttpServletResponse response) {
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("X-Accel-Buffering", "no");
    }
}
