package io.annals.node;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * Where a module registers its HTTP routes, each with the {@link Role} it needs. Every route
 * registered here is served through the node's one request path: the role is checked first,
 * every failure the handler throws becomes an RFC 9457 problem ({@link ApiProblem}, a store's
 * refusal, anything else a 500 with an error id), and the request is metered
 * ({@code http_server_requests_seconds} by method, route template and status) and logged.
 * <p>
 * A path is {@code /} followed by segments, each either literal ({@code events}) or a parameter
 * ({@code {streamId}}, read with {@code ctx.pathParam("streamId")}). Registering a method and path
 * shape that is already registered (by any module, whatever its parameters are called) fails the
 * node's start. Where a literal and a parameter could both match a request, the literal wins,
 * whichever module registered first. A {@code GET} route answers {@code HEAD} as well, through
 * the same checks. Routes can be registered only while the module is installed.
 */
public interface Routes {

    /** Registers {@code handler} for {@code method} (GET, POST, PUT, PATCH or DELETE) on {@code path}. */
    void add(HandlerType method, String path, Role role, Handler handler);

    default void get(String path, Role role, Handler handler) {
        add(HandlerType.GET, path, role, handler);
    }

    default void post(String path, Role role, Handler handler) {
        add(HandlerType.POST, path, role, handler);
    }

    default void put(String path, Role role, Handler handler) {
        add(HandlerType.PUT, path, role, handler);
    }

    default void patch(String path, Role role, Handler handler) {
        add(HandlerType.PATCH, path, role, handler);
    }

    default void delete(String path, Role role, Handler handler) {
        add(HandlerType.DELETE, path, role, handler);
    }
}
