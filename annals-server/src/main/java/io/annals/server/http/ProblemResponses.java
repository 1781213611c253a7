package io.annals.server.http;

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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as {@code application/problem+json} (RFC 9457). Store exceptions map to
 * their HTTP meaning exhaustively; anything unexpected becomes a 500 whose body names only an
 * error id that the log line carries too, never a stack trace.
 */
public final class ProblemResponses {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final HttpField CONTENT_TYPE_FIELD = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    private final ObjectMapper mapper;

    public ProblemResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void send(Context ctx, ApiProblem problem) {
        String retryAfter = retryAfter(problem);
        if (retryAfter != null) {
            ctx.header("Retry-After", retryAfter);
        }
        String authenticate = authenticate(problem);
        if (authenticate != null) {
            ctx.header("WWW-Authenticate", authenticate);
        }
        ctx.status(problem.status()).contentType(CONTENT_TYPE).result(body(problem, ctx.path()));
    }

    /** The same answer as {@link #send(Context, ApiProblem)}, from a Jetty core handler; completes {@code callback}. */
    public void send(Response response, ApiProblem problem, String path, Callback callback) {
        HttpFields.Mutable headers = response.getHeaders();
        String retryAfter = retryAfter(problem);
        if (retryAfter != null) {
            headers.put(HttpHeader.RETRY_AFTER, retryAfter);
        }
        String authenticate = authenticate(problem);
        if (authenticate != null) {
            headers.put(HttpHeader.WWW_AUTHENTICATE, authenticate);
        }
        byte[] body = body(problem, path);
        response.setStatus(problem.status());
        headers.put(CONTENT_TYPE_FIELD);
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The problem document; {@code instance} is the request's path. */
    private byte[] body(ApiProblem problem, String instance) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.put("instance", instance);
        problem.extensions().forEach(body::putIfAbsent);
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return ("{\"status\":" + problem.status() + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String retryAfter(ApiProblem problem) {
        return problem.status() == 503 ? "1" : null;
    }

    /** A 401 names the scheme and realm that the client should authenticate with (RFC 9110). */
    private static String authenticate(ApiProblem problem) {
        return problem.status() == 401 ? "Bearer realm=\"annals\"" : null;
    }

    /** Turns an error answer that is not a problem document yet into one with the same status. */
    public void ensureProblem(Context ctx) {
        String contentType = ctx.res().getContentType();
        if (contentType != null && contentType.contains("json")) {
            return; // a route's own answer (health's 503, a problem already) stays as it is
        }
        int status = ctx.statusCode();
        String detail = switch (status) {
            case 404 -> "no such endpoint: " + ctx.method().name() + " " + ctx.path();
            case 405 -> "method " + ctx.method().name() + " is not allowed on " + ctx.path();
            default -> reasonPhrase(status);
        };
        send(ctx, new ApiProblem(status, reasonPhrase(status), detail));
    }

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
            case WrongExpectedVersionException conflict -> new ApiProblem(409, "Wrong Expected Version",
                    conflict.getMessage(), Map.of(
                            "streamId", conflict.streamId().value(),
                            "expectedVersion", conflict.expected().toString(),
                            "actualVersion", conflict.actualVersion()));
            case StreamDeletedException deleted -> new ApiProblem(410, "Stream Deleted", deleted.getMessage(),
                    Map.of("streamId", deleted.streamId().value()));
            case InvalidAppendException invalid -> ApiProblem.badRequest(invalid.getMessage());
            case DuplicateEventException duplicate -> new ApiProblem(409, "Duplicate Event", duplicate.getMessage(),
                    Map.of("streamId", duplicate.streamId().value(), "eventId", duplicate.eventId().toString()));
            case AppendConditionFailedException failed -> new ApiProblem(409, "Append Condition Failed",
                    failed.getMessage(), Map.of("conflictingPosition", failed.conflicting().toString()));
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
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + status;
        };
    }
}
