package io.annals.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.store.AppendConditionFailedException;
import io.annals.store.DuplicateEventException;
import io.annals.store.EventStoreClosedException;
import io.annals.store.EventStoreException;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.InvalidAppendException;
import io.annals.store.StreamDeletedException;
import io.annals.store.WrongExpectedVersionException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as {@code application/problem+json} (RFC 9457). Store exceptions map to
 * their HTTP meaning exhaustively; anything unexpected becomes a 500 whose body names only an
 * error id that the log line carries too, never a stack trace.
 */
public final class ProblemResponses {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    private final ObjectMapper mapper;

    public ProblemResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Answers {@code problem}, with {@code instance} the request's path. */
    public void send(Context ctx, ApiProblem problem) {
        headers(problem).forEach(ctx::header);
        JsonResponses.sendBytes(ctx, problem.status(), CONTENT_TYPE, body(problem, ctx.path()));
    }

    /** The problem document; {@code instance} is the request's path, left out when {@code null}. */
    public byte[] body(ApiProblem problem, String instance) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        if (instance != null) {
            body.put("instance", instance);
        }
        problem.extensions().forEach(body::putIfAbsent);
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return ("{\"status\":" + problem.status() + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The headers that go with a problem: a 503 says when to retry, a 401 names the scheme and
     * realm to authenticate with (RFC 9110).
     */
    public static Map<String, String> headers(ApiProblem problem) {
        return switch (problem.status()) {
            case 401 -> Map.of("WWW-Authenticate", "Bearer realm=\"annals\"");
            case 503 -> Map.of("Retry-After", "1");
            default -> Map.of();
        };
    }

    /**
     * The problem a failure stands for: an {@link ApiProblem} as it is, a store's refusal by its
     * HTTP meaning, Javalin's own answers (no route) with their status, anything else a 500
     * whose detail names only an error id that the log line carries too.
     */
    public ApiProblem toProblem(Exception failure) {
        return switch (failure) {
            case ApiProblem problem -> problem;
            case EventStoreException storeFailure -> fromStore(storeFailure);
            case HttpResponseException http -> new ApiProblem(http.getStatus(), reasonPhrase(http.getStatus()),
                    http.getMessage() == null || http.getMessage().isBlank() ? reasonPhrase(http.getStatus()) : http.getMessage());
            default -> unexpected(failure);
        };
    }

    private static ApiProblem fromStore(EventStoreException failure) {
        return switch (failure) {
            case WrongExpectedVersionException conflict -> new ApiProblem("wrong-expected-version", 409, "Wrong Expected Version",
                    conflict.getMessage(), Map.of(
                            "streamId", conflict.streamId().value(),
                            "expectedVersion", conflict.expected().toString(),
                            "actualVersion", conflict.actualVersion()));
            case StreamDeletedException deleted -> new ApiProblem("stream-deleted", 410, "Stream Deleted", deleted.getMessage(),
                    Map.of("streamId", deleted.streamId().value()));
            case InvalidAppendException invalid -> ApiProblem.badRequest(invalid.getMessage());
            case DuplicateEventException duplicate -> new ApiProblem("duplicate-event", 409, "Duplicate Event", duplicate.getMessage(),
                    Map.of("streamId", duplicate.streamId().value(), "eventId", duplicate.eventId().toString()));
            case AppendConditionFailedException failed -> new ApiProblem("append-condition-failed", 409, "Append Condition Failed",
                    failed.getMessage(), Map.of(
                            "conflictingPosition", failed.conflicting().toString(),
                            "condition", Map.of(
                                    "query", QueryJson.toJson(failed.condition().failIfEventsMatch()),
                                    "after", failed.condition().after().toString())));
            case EventStoreClosedException closed -> new ApiProblem(503, "Service Unavailable",
                    "the event store is closed: the node is shutting down");
            case EventStoreUnavailableException unavailable -> {
                String errorId = UUID.randomUUID().toString();
                LOG.warn("store unavailable [error {}]", errorId, unavailable);
                yield new ApiProblem(503, "Service Unavailable",
                        "the event store cannot be reached right now; retry with the same event ids",
                        Map.of("errorId", errorId));
            }
        };
    }

    private static ApiProblem unexpected(Exception failure) {
        String errorId = UUID.randomUUID().toString();
        LOG.error("unexpected failure [error {}]", errorId, failure);
        return new ApiProblem(500, "Internal Server Error", "the node failed to handle this request",
                Map.of("errorId", errorId));
    }

    public static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 421 -> "Misdirected Request";
            case 431 -> "Request Header Fields Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + status;
        };
    }
}
