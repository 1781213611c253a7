package io.annals.server.http;

import io.annals.node.Role;
import io.annals.node.Routes;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every route of the node, as its modules registered them, before any is served: it refuses a
 * malformed path and a second route of the same method and path shape, and hands the routes to
 * Javalin in an order where a literal segment beats a parameter, so that no route can hide
 * another by being registered first.
 */
public final class RouteTable {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+|\\{[A-Za-z][A-Za-z0-9_]*}");
    private static final String PARAMETER = "{}";
    /** The methods a route may serve; {@code HEAD} and {@code OPTIONS} the node answers itself. */
    public static final List<HandlerType> ROUTE_METHODS =
            List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

    /** One route: who registered it, and what it serves. */
    public record Route(HandlerType method, String path, Role role, Handler handler, String owner) {

        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(handler, "handler");
        }

        List<String> segments() {
            return path.equals("/") ? List.of() : List.of(path.substring(1).split("/", -1));
        }

        /** The method and the path with every parameter's name left out: what two routes must not share. */
        String shape() {
            var shape = new StringBuilder(method.name()).append(' ');
            for (String segment : segments()) {
                shape.append('/').append(segment.startsWith("{") ? PARAMETER : segment);
            }
            return shape.toString();
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final Map<String, Route> byShape = new HashMap<>();
    private boolean closed;

    /** The registration API for one owner (a module, or the node's own routes). */
    public Routes registrar(String owner) {
        return (method, path, role, handler) -> add(new Route(method, path, role, handler, owner));
    }

    synchronized void add(Route route) {
        if (!ROUTE_METHODS.contains(route.method())) {
            throw new IllegalArgumentException("route " + route.method().name() + " " + route.path() + " of " + route.owner()
                    + ": a route serves GET, POST, PUT, PATCH or DELETE (a GET route answers HEAD too)");
        }
        if (closed) {
            throw new IllegalStateException("routes can only be registered while a module is installed; "
                    + route.owner() + " registered " + route.method().name() + " " + route.path() + " later");
        }
        if (!route.path().equals("/") && (!route.path().startsWith("/")
                || !route.segments().stream().allMatch(segment -> SEGMENT.matcher(segment).matches()))) {
            throw new IllegalArgumentException("route " + route.method().name() + " " + route.path() + " of " + route.owner()
                    + ": a path is / and segments, each literal (letters, digits, . _ ~ -) or a parameter such as {id}");
        }
        Route existing = byShape.putIfAbsent(route.shape(), route);
        if (existing != null) {
            throw new IllegalStateException("route " + route.method().name() + " " + route.path() + " of " + route.owner()
                    + " is already served as " + existing.method().name() + " " + existing.path() + " by " + existing.owner());
        }
        routes.add(route);
    }

    /** Ends registration and answers every route, most specific first. */
    public synchronized List<Route> close() {
        closed = true;
        return routes.stream().sorted(RouteTable::bySpecificity).toList();
    }

    /**
     * The methods each path of {@code routes} answers ({@code HEAD} beside {@code GET}, and
     * {@code OPTIONS}), paths in the order of {@code routes}: what {@code Allow} says. Paths of
     * one shape (parameter names aside) are one path, named as its first route names it.
     */
    public static Map<String, List<String>> allowedMethods(List<Route> routes) {
        var paths = new java.util.LinkedHashMap<String, String>();
        var allowed = new HashMap<String, java.util.TreeSet<String>>();
        for (Route route : routes) {
            String shape = route.shape().substring(route.method().name().length() + 1);
            paths.putIfAbsent(shape, route.path());
            var methods = allowed.computeIfAbsent(shape, key -> new java.util.TreeSet<>(List.of("OPTIONS")));
            methods.add(route.method().name());
            if (route.method() == HandlerType.GET) {
                methods.add(HandlerType.HEAD.name());
            }
        }
        var answer = new java.util.LinkedHashMap<String, List<String>>();
        paths.forEach((shape, path) -> answer.put(path, List.copyOf(allowed.get(shape))));
        return answer;
    }

    /** Literal segments before parameters, position by position; otherwise any fixed order. */
    static int bySpecificity(Route a, Route b) {
        List<String> left = a.segments();
        List<String> right = b.segments();
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            boolean leftParameter = left.get(i).startsWith("{");
            boolean rightParameter = right.get(i).startsWith("{");
            if (leftParameter != rightParameter) {
                return leftParameter ? 1 : -1;
            }
            if (!leftParameter && !left.get(i).equals(right.get(i))) {
                return left.get(i).compareTo(right.get(i));
            }
        }
        return Comparator.<Route>comparingInt(route -> route.segments().size())
                .thenComparing(route -> route.method().name())
                .compare(a, b);
    }
}
