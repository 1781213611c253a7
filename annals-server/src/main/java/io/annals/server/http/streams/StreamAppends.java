package io.annals.server.http.streams;

import io.annals.event.EventData;
import io.annals.event.StreamId;
import io.annals.node.ApiProblem;
import io.annals.node.RequestBodies;
import io.annals.server.http.StoreApiMetrics;
import io.annals.server.http.StoreCapabilities;
import io.annals.store.Append;
import io.annals.store.AppendResult;
import io.annals.store.ConditionalAppender;
import io.annals.store.EventStore;
import io.annals.store.EventStoreException;
import io.annals.store.ExpectedVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST /api/streams/{streamId}} apart from HTTP: checks the request's parts, appends,
 * records the outcome and renders the 201 answer.
 */
public final class StreamAppends {

    public static final String EXPECTED_VERSION = "Expected-Version";

    private final EventStore store;
    private final RequestBodies bodies;
    private final AppendRequestParser parser;
    private final StoreApiMetrics metrics;

    public StreamAppends(EventStore store, RequestBodies bodies, AppendRequestParser parser, StoreApiMetrics metrics) {
        this.store = store;
        this.bodies = bodies;
        this.parser = parser;
        this.metrics = metrics;
    }

    /** The {@code Expected-Version} header's meaning; {@code any} when it is absent. */
    public static ExpectedVersion expectedVersion(String header) {
        if (header == null) {
            return ExpectedVersion.any();
        }
        try {
            return ExpectedVersion.parse(header.trim());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("Expected-Version must be any, no-stream, stream-exists or a version number (0 or more)");
        }
    }

    /** The path of a stream, the 201 answer's {@code Location}. */
    public static String location(StreamId streamId) {
        return "/api/streams/" + streamId.value();
    }

    /**
     * Appends the events of {@code body} (see {@link AppendRequestParser}), under its condition
     * when it has one, and answers the 201 body; throws {@link ApiProblem} for a body it refuses
     * and the store's exceptions for an append the store refuses. Either way the outcome is
     * recorded in the metrics.
     */
    public byte[] append(StreamId streamId, ExpectedVersion expected, byte[] body) {
        AppendRequest request = bodies.parseJson(body, parser);
        List<EventData> events = request.events();
        long started = System.nanoTime();
        AppendResult result;
        try {
            result = request.condition().isEmpty()
                    ? store.append(streamId, expected, events)
                    : StoreCapabilities.require(store, ConditionalAppender.class, "append under a condition")
                            .append(Append.to(streamId, expected, events).onlyIf(request.condition().get()))
                            .streams().getFirst();
        } catch (EventStoreException e) {
            metrics.recordAppend(outcomeOf(e), 0, System.nanoTime() - started);
            throw e;
        }
        metrics.recordAppend("ok", result.repeated() ? 0 : events.size(), System.nanoTime() - started);
        // a number and a hex token need no escaping, so the answer is written without a generator
        return ("{\"nextExpectedVersion\":" + result.nextExpectedVersion() + ",\"position\":\"" + result.position() + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String outcomeOf(EventStoreException failure) {
        return switch (failure) {
            case io.annals.store.WrongExpectedVersionException e -> "conflict";
            case io.annals.store.AppendConditionFailedException e -> "condition-failed";
            case io.annals.store.DuplicateEventException e -> "duplicate";
            case io.annals.store.StreamDeletedException e -> "deleted";
            case io.annals.store.InvalidAppendException e -> "invalid";
            case io.annals.store.EventStoreUnavailableException e -> "unavailable";
            case io.annals.store.EventStoreClosedException e -> "closed";
        };
    }
}
