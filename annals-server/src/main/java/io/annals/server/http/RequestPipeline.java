package io.annals.server.http;

import io.annals.node.ApiProblem;
import io.annals.node.ProblemResponses;
import io.annals.node.Role;
import io.annals.server.metrics.NodeMetrics;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.NotFoundResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a request goes through the node. Every route is served by {@link #route} around
 * its handler: the route's role is checked against the request's key, a failure becomes a problem
 * document, and the request is metered under the route's template and logged. A request that
 * matches no route gets the same treatment from {@link #unmatched}, metered as {@code unmatched}.
 * Nothing is served around it: the node registers no route with Javalin but through here.
 */
public final class RequestPipeline {

    /** The route template requests that match no route are metered under. */
    public static final String UNMATCHED = "unmatched";
    private static final Logger REQUESTS = LoggerFactory.getLogger("io.annals.server.requests");

    private static final java.util.List<String> KEPT_HEADERS = java.util.List.of("Allow", "Vary",
            "Access-Control-Allow-Origin", "Access-Control-Expose-Headers");

    private final AccessControl access;
    private final BrowserPolicy browsers;
    private final ProblemResponses problems;
    private final NodeMetrics metrics;

    public RequestPipeline(AccessControl access, BrowserPolicy browsers, ProblemResponses problems, NodeMetrics metrics) {
        this.access = access;
        this.browsers = browsers;
        this.problems = problems;
        this.metrics = metrics;
    }

    /** The handler Javalin calls for {@code route}, as {@code method}: the route's own, wrapped. */
    public Handler route(String method, RouteTable.Route route) {
        String template = route.path();
        Role role = route.role();
        Handler handler = route.handler();
        // without keys, or for a public route, there is nothing to check: spare each request the header
        boolean open = access.open(role);
        return ctx -> {
            long started = System.nanoTime();
            int status;
            try {
                browsers.checkHost(ctx);
                browsers.allowOrigin(ctx);
                if (!open) {
                    access.check(role, ctx.header("Authorization"), streamToken(ctx));
                }
                handler.handle(ctx);
                status = ctx.res().getStatus();
                if (status == 204 && !ctx.res().isCommitted()) {
                    // no content, so no type of it (Javalin sets a default type on every answer)
                    ctx.res().setContentType(null);
                }
            } catch (Exception failure) {
                status = answer(ctx, problems.toProblem(failure));
            }
            finish(ctx, method, template, status, started);
        };
    }

    /**
     * The {@code access_token} of a browser's event stream request (an {@code EventSource} sends
     * no headers but {@code Accept: text/event-stream}); no other request may carry one.
     */
    private static String streamToken(Context ctx) {
        if (!"GET".equals(ctx.method().name())) {
            return null;
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/event-stream") ? ctx.queryParam("access_token") : null;
    }

    /**
     * The route that answers {@code OPTIONS} on a path whose routes serve {@code allow}: {@code 204}
     * with {@code Allow}, and a CORS preflight's answer for an allowed origin. It needs no key: a
     * browser sends a preflight without credentials.
     */
    public Handler options(String path, String allow) {
        return route("OPTIONS", new RouteTable.Route(HandlerType.OPTIONS, path, Role.PUBLIC, ctx -> {
            ctx.header("Allow", allow);
            browsers.preflight(ctx, allow);
            ctx.status(204);
        }, "node"));
    }

    /** The route that answers {@code method} on a path whose routes serve only {@code allow}: a 405 with {@code Allow}. */
    public Handler methodNotAllowed(HandlerType method, String path, String allow) {
        return route(method.name(), new RouteTable.Route(method, path, Role.PUBLIC, ctx -> {
            ctx.header("Allow", allow);
            throw ApiProblem.of(405, method.name() + " is not served at " + path + "; it serves " + allow);
        }, "node"));
    }

    /**
     * Answers a request that reached no route's handler with a problem: Javalin found no route, or
     * could not decode the path before choosing one (every route's handler answers its own
     * failures, so an argument Javalin refuses here is the client's).
     */
    public void unmatched(Exception failure, Context ctx) {
        long started = System.nanoTime();
        ApiProblem problem = switch (failure) {
            case NotFoundResponse notFound -> ApiProblem.notFound("no such endpoint: " + ctx.method().name() + " " + ctx.path());
            case IllegalArgumentException undecodable -> ApiProblem.badRequest(
                    "the path holds a malformed percent escape: each % is followed by two hexadecimal digits");
            default -> problems.toProblem(failure);
        };
        finish(ctx, ctx.method().name(), UNMATCHED, answer(ctx, problem), started);
    }

    /** Sends {@code problem} unless the answer is already on its way; returns the status the client sees. */
    private int answer(Context ctx, ApiProblem problem) {
        HttpServletResponse response = ctx.res();
        if (response.isCommitted()) {
            // an answer already under way (an event stream) cannot become a problem; the client sees it end
            return response.getStatus();
        }
        // the handler's headers go, but not those that say who may read the answer and what is allowed
        var kept = new java.util.LinkedHashMap<String, String>();
        for (String name : KEPT_HEADERS) {
            String value = response.getHeader(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        response.reset();
        kept.forEach(response::setHeader);
        var request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request != null && !request.getHttpInput().consumeAvailable()) {
            // refused before its body was read, and the rest has not arrived: Jetty will close the
            // connection after this answer, so say so before the answer is committed
            response.setHeader("Connection", "close");
        }
        problems.send(ctx, problem);
        return problem.status();
    }

    private void finish(Context ctx, String method, String template, int status, long started) {

        long elapsed = System.nanoTime() - started;
        metrics.recordRequest(method, template, status, elapsed);
        if (REQUESTS.isDebugEnabled()) {
            REQUESTS.debug("{} {} -> {} in {} us (route {})", method, ctx.path(), status, elapsed / 1000, template);
        }
    }
}
