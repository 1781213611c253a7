package io.annals.server.http.events;

import io.annals.event.Position;
import io.annals.node.ApiProblem;
import io.annals.node.QueryParams;
import io.annals.node.Role;
import io.annals.node.Routes;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * {@code GET /api/events/stream}: every event after a position as Server-Sent Events, first the
 * history, then live. A reconnecting client sends {@code Last-Event-ID} (the last position it
 * saw), which takes precedence over {@code ?after=}.
 */
public final class EventStreamRoutes {

    public static final String PATH = "/api/events/stream";

    private final EventStore store;
    private final LiveStreams liveStreams;
    private final Duration heartbeat;
    private final Clock clock;

    public EventStreamRoutes(EventStore store, LiveStreams liveStreams, Duration heartbeat, Clock clock) {
        this.store = store;
        this.liveStreams = liveStreams;
        this.heartbeat = heartbeat;
        this.clock = clock;
    }

    public void register(Routes routes) {
        routes.get(PATH, Role.USER, this::stream);
    }

    private void stream(Context ctx) throws IOException {
        String lastEventId = ctx.header("Last-Event-ID");
        Position after = lastEventId != null && !lastEventId.isBlank()
                ? QueryParams.position("Last-Event-ID", lastEventId.trim())
                : QueryParams.position("after", QueryParams.single(ctx, "after"));
        EventFilter filter = EventFilters.from(ctx);

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
            session.run(store, after, filter, () -> startResponse(response));
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
