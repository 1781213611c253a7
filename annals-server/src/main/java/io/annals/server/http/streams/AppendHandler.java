package io.annals.server.http.streams;

import io.annals.event.StreamId;
import io.annals.server.http.AccessControl;
import io.annals.server.http.ApiKeys.Access;
import io.annals.server.http.ApiProblem;
import io.annals.server.http.JsonResponses;
import io.annals.server.http.ProblemResponses;
import io.annals.server.http.QueryParams;
import io.annals.server.http.RequestBodies;
import io.annals.server.metrics.NodeMetrics;
import io.annals.store.ExpectedVersion;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;

/**
 * The node's hot route, {@code POST /api/streams/{streamId}}, as a plain Jetty handler in front
 * of Javalin: it answers exactly that method and path shape and passes every other request on to
 * Javalin unchanged. Skipping the servlet and Javalin layers saves much of the node's CPU per
 * append (see ADR 0005); the behaviour is the Javalin route's, from the same parts: access control,
 * {@link StreamAppends}, {@link RequestBodies}' size bound, {@link ProblemResponses} and the
 * request metric under the route's template.
 * <p>
 * Jetty calls it on a virtual thread (the node's thread pool makes every thread virtual), so it
 * blocks on the body and the store like any Javalin handler. The answer is written without
 * blocking, straight from its bytes.
 */
public final class AppendHandler extends Handler.Wrapper {

    private static final String PREFIX = "/api/streams/";
    private static final HttpField JSON_CONTENT_TYPE =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, JsonResponses.CONTENT_TYPE);

    private final StreamAppends appends;
    private final RequestBodies bodies;
    private final AccessControl accessControl;
    private final ProblemResponses problems;
    private final NodeMetrics metrics;

    public AppendHandler(StreamAppends appends, RequestBodies bodies, AccessControl accessControl,
                         ProblemResponses problems, NodeMetrics metrics) {
        this.appends = appends;
        this.bodies = bodies;
        this.accessControl = accessControl;
        this.problems = problems;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (!HttpMethod.POST.is(request.getMethod()) || !isStreamPath(path)) {
            return super.handle(request, response, callback);
        }
        long started = System.nanoTime();
        int status;
        // Javalin meters a request its access filter refuses under the filter's path, so this does too
        String route = AccessControl.PATH;
        try {
            HttpFields headers = request.getHeaders();
            accessControl.check(Access.ADMIN, headers.get(HttpHeader.AUTHORIZATION));
            route = StreamRoutes.PATH;
            String segment = path.substring(PREFIX.length());
            boolean encoded = segment.indexOf('%') >= 0;
            StreamId streamId = QueryParams.streamId(encoded ? decode(segment) : segment);
            ExpectedVersion expected = StreamAppends.expectedVersion(headers.get(StreamAppends.EXPECTED_VERSION));
            StreamAppends.requireJson(headers.get(HttpHeader.CONTENT_TYPE));
            byte[] answer = appends.append(streamId, expected, bodies.readBounded(request, response));
            status = 201;
            response.setStatus(status);
            HttpFields.Mutable out = response.getHeaders();
            out.put(JSON_CONTENT_TYPE);
            // a valid stream id needs no escaping, so an unencoded path is the stream's location as it is
            out.put(HttpHeader.LOCATION, encoded ? StreamAppends.location(streamId) : path);
            out.put(HttpHeader.CONTENT_LENGTH, answer.length);
            response.write(true, ByteBuffer.wrap(answer), callback);
        } catch (Exception failure) {
            ApiProblem problem = problems.toProblem(failure);
            status = problem.status();
            if (!request.consumeAvailable()) {
                // refused before its body was read, and the rest has not arrived: Jetty will close
                // the connection after this answer, so say so before the answer is committed
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            problems.send(response, problem, path, callback);
        }
        metrics.recordRequest(HttpMethod.POST.asString(), route, status, System.nanoTime() - started);
        return true;
    }

    /** {@code /api/streams/} and one non-empty segment: the path shape Javalin matches to {@link StreamRoutes#PATH}. */
    static boolean isStreamPath(String path) {
        return path != null && path.length() > PREFIX.length() && path.startsWith(PREFIX)
                && path.indexOf('/', PREFIX.length()) < 0;
    }

    private static String decode(String segment) {
        try {
            return URIUtil.decodePath(segment);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("invalid stream id: the path is not validly percent-encoded");
        }
    }
}
