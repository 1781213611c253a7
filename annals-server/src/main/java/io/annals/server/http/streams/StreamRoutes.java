package io.annals.server.http.streams;

import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.node.ApiProblem;
import io.annals.node.JsonResponses;
import io.annals.node.Role;
import io.annals.node.Routes;
import io.annals.server.http.EventPages;
import io.annals.node.QueryParams;
import io.annals.node.RequestBodies;
import io.annals.store.DeleteMode;
import io.annals.store.EventStore;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamReader;
import io.annals.store.StreamState;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** {@code /api/streams/{streamId}}: append, read and delete one stream. */
public final class StreamRoutes {

    public static final String PATH = "/api/streams/{streamId}";
    public static final String VERSION_PATH = "/api/streams/{streamId}/version";

    private final EventStore store;
    private final RequestBodies bodies;
    private final StreamAppends appends;
    private final JsonResponses json;

    public StreamRoutes(EventStore store, RequestBodies bodies, StreamAppends appends, JsonResponses json) {
        this.store = store;
        this.bodies = bodies;
        this.appends = appends;
        this.json = json;
    }

    public void register(Routes routes) {
        routes.post(PATH, Role.ADMIN, this::append);
        routes.get(PATH, Role.USER, this::read);
        routes.delete(PATH, Role.ADMIN, this::delete);
        routes.get(VERSION_PATH, Role.USER, this::version);
    }

    /** The stream's current version, without its events: what {@code Expected-Version} of the next append would be. */
    private void version(Context ctx) {
        StreamId streamId = QueryParams.streamId(ctx);
        long version = switch (store.streamState(streamId)) {
            case StreamState.Absent absent -> throw ApiProblem.notFound("stream " + streamId + " does not exist");
            case StreamState.Tombstoned tombstoned -> throw deleted(streamId);
            case StreamState.Active active -> active.version();
        };
        json.send(ctx, 200, Map.of("streamId", streamId.value(), "version", version));
    }

    private static ApiProblem deleted(StreamId streamId) {
        return new ApiProblem("stream-deleted", 410, "Stream Deleted", "stream " + streamId + " is deleted",
                Map.of("streamId", streamId.value()));
    }

    private void append(Context ctx) {
        StreamId streamId = QueryParams.streamId(ctx);
        ExpectedVersion expected = StreamAppends.expectedVersion(ctx.header(StreamAppends.EXPECTED_VERSION));
        byte[] answer = appends.append(streamId, expected, bodies.readBounded(ctx));
        ctx.header("Location", StreamAppends.location(streamId));
        json.sendBytes(ctx, 201, answer);
    }

    private void read(Context ctx) {
        StreamId streamId = QueryParams.streamId(ctx);
        ReadDirection direction = direction(ctx);
        long defaultFrom = direction == ReadDirection.FORWARD ? 0 : StreamReader.END;
        long from = QueryParams.nonNegativeLong(ctx, "from", defaultFrom);
        int limit = QueryParams.limit(ctx);
        switch (store.streamState(streamId)) {
            case StreamState.Absent absent -> throw ApiProblem.notFound("stream " + streamId + " does not exist");
            case StreamState.Tombstoned tombstoned -> throw deleted(streamId);
            case StreamState.Active active -> {
                List<RecordedEvent> events = store.readStream(streamId, from, direction, limit);
                EventPages.send(json, ctx, events, null);
            }
        }
    }

    private void delete(Context ctx) {
        StreamId streamId = QueryParams.streamId(ctx);
        ExpectedVersion expected = StreamAppends.expectedVersion(ctx.header(StreamAppends.EXPECTED_VERSION));
        DeleteMode mode = QueryParams.flag(ctx, "hard") ? DeleteMode.HARD : DeleteMode.SOFT;
        store.delete(streamId, expected, mode);
        ctx.status(204);
    }

    private static ReadDirection direction(Context ctx) {
        String text = QueryParams.single(ctx, "direction");
        if (text == null || text.equals("forward")) {
            return ReadDirection.FORWARD;
        }
        if (text.equals("backward")) {
            return ReadDirection.BACKWARD;
        }
        throw ApiProblem.badRequest("direction must be forward or backward, got '" + QueryParams.abbreviate(text) + "'");
    }
}
