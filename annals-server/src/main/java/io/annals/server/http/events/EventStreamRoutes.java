package io.annals.server.http.events;

import io.annals.event.Position;
import io.annals.node.ApiProblem;
import io.annals.node.QueryParams;
import io.annals.node.Role;
import io.annals.node.RequestBodies;
import io.annals.node.Routes;
import io.annals.event.StreamId;
import io.annals.server.http.StoreCapabilities;
import io.annals.store.EventQuery;
import io.annals.store.QuerySubscriptions;
import io.annals.store.EventStore;
import io.annals.store.StreamState;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Live tails as Server-Sent Events, first the history, then live: {@code GET /api/events/stream},
 * every event after a position (ids are positions), {@code GET /api/events/query/stream}, the
 * same for the events that match a query, and {@code GET /api/streams/{streamId}/live}, the
 * events of one stream after a version (ids are versions). A reconnecting client sends
 * {@code Last-Event-ID} (the last id it saw), which takes precedence over {@code ?after=}.
 */
public final class EventStreamRoutes {

    public static final String PATH = "/api/events/stream";
    public static final String STREAM_PATH = "/api/streams/{streamId}/live";
    public static final String QUERY_PATH = "/api/events/query/stream";

    private final EventStore store;
    private final LiveStreams liveStreams;
    private final Duration heartbeat;
    private final Clock clock;
    private final RequestBodies bodies;

    public EventStreamRoutes(EventStore store, LiveStreams liveStreams, Duration heartbeat, Clock clock, RequestBodies bodies) {
        this.store = store;
        this.bodies = bodies;
        this.liveStreams = liveStreams;
        this.heartbeat = heartbeat;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.get(PATH, Role.USER, this::all);
        routes.get(QUERY_PATH, Role.USER, this::byQuery);
        routes.get(STREAM_PATH, Role.USER, this::oneStream);
    }

    private void byQuery(Context ctx) throws IOException {
        String lastEventId = lastEventId(ctx);
        Position after = lastEventId != null
                ? QueryParams.position("Last-Event-ID", lastEventId)
                : QueryParams.position("after", QueryParams.single(ctx, "after"));
        EventQuery query = EventQueries.from(ctx, bodies);
        QuerySubscriptions subscriptions = StoreCapabilities.require(store, QuerySubscriptions.class, "subscribe by query");
        follow(ctx, new Feed.ByQuery(store, subscriptions, query, after));
    }

    private void all(Context ctx) throws IOException {
        String lastEventId = lastEventId(ctx);
        Position after = lastEventId != null
                ? QueryParams.position("Last-Event-ID", lastEventId)
                : QueryParams.position("after", QueryParams.single(ctx, "after"));
        follow(ctx, new Feed.All(store, after, EventFilters.from(ctx)));
    }

    private void oneStream(Context ctx) throws IOException {
        StreamId streamId = QueryParams.streamId(ctx);
        String lastEventId = lastEventId(ctx);
        long afterVersion = lastEventId != null ? version("Last-Event-ID", lastEventId) : afterVersion(ctx);
        if (store.streamState(streamId) instanceof StreamState.Tombstoned) {
            throw new ApiProblem("stream-deleted", 410, "Stream Deleted", "stream " + streamId + " is deleted",
                    Map.of("streamId", streamId.value()));
        }
        follow(ctx, new Feed.OneStream(store, streamId, afterVersion));
    }

    private static String lastEventId(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        return header == null || header.isBlank() ? null : header.trim();
    }

    /** {@code ?after=}: the version after which to start; absent, the stream from its first event. */
    private static long afterVersion(Context ctx) {
        String text = QueryParams.single(ctx, "after");
        return text == null || text.isEmpty() ? -1 : version("after", text);
    }

    private static long version(String name, String text) {
        if (!text.matches("[0-9]{1,18}")) {
            throw ApiProblem.badRequest(name + " must be a stream version (0 or more), got '" + QueryParams.abbreviate(text) + "'");
        }
        return Long.parseLong(text);
    }

    private void follow(Context ctx, Feed feed) throws IOException {
        HttpServletResponse response = ctx.res();
        if (ctx.method() == HandlerType.HEAD) {
            // the headers a stream would start with, and no stream: nothing would read it
            startResponse(response);
            return;
        }
        var session = new EventStreamSession(response.getOutputStream(), heartbeat, clientLeft(ctx), clock.instant());
        if (!liveStreams.register(session)) {
            throw new ApiProblem(503, "Service Unavailable", "the node is shutting down");
        }
        try {
            session.run(feed, () -> startResponse(response));
        } catch (IOException clientLeft) {
            // the client closed the connection: nothing to answer
        } finally {
            liveStreams.unregister(session);
        }
    }

    /**
     * Whether the client of {@code ctx} has closed its connection, found by reading from it without
     * waiting: a client of an event stream sends nothing after its request, so a read finds either
     * nothing or the end. Jetty itself reads no further while the stream is being answered, and a
     * write would find out only at the next heartbeat.
     */
    private static BooleanSupplier clientLeft(Context ctx) {
        EndPoint endPoint = ServletContextRequest.getServletContextRequest(ctx.req())
                .getConnectionMetaData().getConnection().getEndPoint();
        return () -> {
            if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
                return true;
            }
            try {
                return endPoint.fill(BufferUtil.allocate(1)) < 0;
            } catch (IOException | RuntimeException e) {
                return true;
            }
        };
    }

    private static void startResponse(HttpServletResponse response) {
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("X-Accel-Buffering", "no");
    }
}
