package io.annals.server.http.streams;

import io.annals.event.EventData;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.server.http.ApiProblem;
import io.annals.server.http.HttpModule;
import io.annals.server.http.JsonResponses;
import io.annals.server.http.QueryParams;
import io.annals.server.http.RequestBodies;
import io.annals.server.metrics.NodeMetrics;
import io.annals.store.AppendResult;
import io.annals.store.DeleteMode;
import io.annals.store.EventStore;
import io.annals.store.EventStoreException;
import io.annals.store.ExpectedVersion;
import io.annals.store.ReadDirection;
import io.annals.store.StreamReader;
import io.annals.store.StreamState;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code /api/streams/{streamId}}: append, read and delete one stream. */
public final class StreamRoutes implements HttpModule {

    public static final String PATH = "/api/streams/{streamId}";
    static final String EXPECTED_VERSION = "Expected-Version";

    private final EventStore store;
    private final RequestBodies bodies;
    private final AppendRequestParser parser;
    private final JsonResponses json;
    private final NodeMetrics metrics;

    public StreamRoutes(EventStore store, RequestBodies bodies, AppendRequestParser parser, JsonResponses json,
                        NodeMetrics metrics) {
        this.store = store;
        this.bodies = bodies;
        this.parser = parser;
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.post(PATH, this::append);
        routes.get(PATH, this::read);
        routes.delete(PATH, this::delete);
    }

    private void append(Context ctx) {
        StreamId streamId = QueryParams.streamId(ctx);
        ExpectedVersion expected = expectedVersion(ctx);
        List<EventData> events = bodies.readJson(ctx, parser);
        long started = System.nanoTime();
        AppendResult result;
        try {
            result = store.append(streamId, expected, events);
        } catch (EventStoreException e) {
            metrics.recordAppend(outcomeOf(e), events.size(), Duration.ofNanos(System.nanoTime() - started));
            throw e;
        }
        metrics.recordAppend("ok", events.size(), Duration.ofNanos(System.nanoTime() - started));
        ctx.header("Location", "/api/streams/" + streamId.value());
        // a number and a hex token need no escaping, so the answer is written without a generator
        json.sendText(ctx, 201, "{\"nextExpectedVersion\":" + result.nextExpectedVersion()
                + ",\"position\":\"" + result.position() + "\"}");
    }

    private void read(Context ctx) {
        StreamId streamId = QueryParams.streamId(ctx);
        ReadDirection direction = direction(ctx);
        long defaultFrom = direction == ReadDirection.FORWARD ? 0 : StreamReader.END;
        long from = QueryParams.nonNegativeLong(ctx, "from", defaultFrom);
        int limit = QueryParams.limit(ctx);
        switch (store.streamState(streamId)) {
            case StreamState.Absent absent -> throw ApiProblem.notFound("stream " + streamId + " does not exist");
            case StreamState.Tombstoned tombstoned -> throw new ApiProblem(410, "Stream Deleted",
                    "stream " + streamId + " is deleted", Map.of("streamId", streamId.value()));
            case StreamState.Active active -> {
                List<RecordedEvent> events = store.readStream(streamId, from, direction, limit);
                json.sendEvents(ctx, events, null);
            }
        }
    }

    private void delete(Context ctx) {
        StreamId streamId = QueryParams.streamId(ctx);
        ExpectedVersion expected = expectedVersion(ctx);
        DeleteMode mode = QueryParams.flag(ctx, "hard") ? DeleteMode.HARD : DeleteMode.SOFT;
        store.delete(streamId, expected, mode);
        ctx.status(204);
    }

    private static ExpectedVersion expectedVersion(Context ctx) {
        String header = ctx.header(EXPECTED_VERSION);
        if (header == null) {
            return ExpectedVersion.any();
        }
        try {
            return ExpectedVersion.parse(header.trim());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("Expected-Version must be any, no-stream, stream-exists or a version number (0 or more)");
        }
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

    private static String outcomeOf(EventStoreException failure) {
        return switch (failure) {
            case io.annals.store.WrongExpectedVersionException e -> "conflict";
            case io.annals.store.DuplicateEventException e -> "duplicate";
            case io.annals.store.StreamDeletedException e -> "deleted";
            case io.annals.store.InvalidAppendException e -> "invalid";
            case io.annals.store.EventStoreUnavailableException e -> "unavailable";
        };
    }
}
