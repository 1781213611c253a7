package io.annals.server;

import io.annals.event.Position;
import io.annals.node.HealthCheck;
import io.annals.node.HealthCheck.Health;
import io.annals.node.JsonResponses;
import io.annals.node.NodeModule;
import io.annals.node.ProblemResponses;
import io.annals.node.RequestBodies;
import io.annals.node.Role;
import io.annals.node.StreamStates;
import io.annals.server.http.AccessControl;
import io.annals.server.http.BrowserPolicy;
import io.annals.server.http.StreamTokens;
import io.annals.server.http.ProtocolErrorHandler;
import io.annals.server.http.RequestPipeline;
import io.annals.server.http.RouteTable;
import io.annals.server.http.ops.OperationsRoutes;
import io.annals.server.json.Json;
import io.annals.server.metrics.NodeMetrics;
import io.annals.server.store.EventStores;
import io.annals.store.EventStore;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.servlet.DefaultTasks;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Annals node: one event store, served over HTTP by the modules the configuration names. This
 * is the composition root: it opens the store, installs each {@link NodeModule} with a
 * {@link NodeContext} of its own, serves every route through the one {@link RequestPipeline}
 * and runs the modules' start and stop hooks. Embed it with {@link #start(NodeConfig)} (port 0
 * picks a free port, see {@link #port()}) and {@link #stop()}.
 */
public final class AnnalsNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnnalsNode.class);
    /** The owner of the routes every node serves, whatever its modules. */
    static final String NODE = "node";
    /** Where a caller with a key gets a short-lived token to open an event stream from a browser. */
    public static final String STREAM_TOKENS = "/api/stream-tokens";

    /** One endpoint the node serves, with its path template, the role it needs and who registered it. */
    public record Route(String method, String path, Role role, String owner) {
    }

    private final NodeConfig config;
    private final EventStore store;
    private final NodeMetrics metrics;
    private final ModuleHooks hooks;
    private final Javalin app;
    private final List<Route> routes;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private AnnalsNode(NodeConfig config, EventStore store, NodeMetrics metrics, ModuleHooks hooks, Javalin app,
                       List<Route> routes) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.hooks = hooks;
        this.app = app;
        this.routes = routes;
    }

    /** Opens the configured store and serves it with the configured modules. */
    public static AnnalsNode start(NodeConfig config) {
        List<NodeModule> modules = NodeModules.load(config.modules());
        return start(config, EventStores.open(config.store()), modules);
    }

    /**
     * Opens the configured store and serves it with the configured modules, taking those that
     * {@code provided} puts together over the store before the class path's of the same name.
     */
    public static AnnalsNode start(NodeConfig config, Function<EventStore, List<NodeModule>> provided) {
        EventStore store = EventStores.open(config.store());
        List<NodeModule> modules;
        try {
            modules = NodeModules.load(config.modules(), provided.apply(store));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return start(config, store, modules);
    }

    /** Serves a store that the caller opened with the configured modules; the node owns the store from here. */
    public static AnnalsNode start(NodeConfig config, EventStore store) {
        List<NodeModule> modules;
        try {
            modules = NodeModules.load(config.modules());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return start(config, store, modules);
    }

    /**
     * Serves a store that the caller opened, with exactly {@code modules} (the configuration's
     * module names are not read); the node owns the store from here and closes it on stop.
     */
    public static AnnalsNode start(NodeConfig config, EventStore store, List<NodeModule> modules) {
        var metrics = new NodeMetrics();
        var hooks = new ModuleHooks();
        try {
            return start(config, store, modules, metrics, hooks);
        } catch (RuntimeException e) {
            try {
                hooks.stop();
            } finally {
                store.close();
                metrics.close();
            }
            throw e;
        }
    }

    private static AnnalsNode start(NodeConfig config, EventStore store, List<NodeModule> modules, NodeMetrics metrics,
                                    ModuleHooks hooks) {
        var mapper = Json.strictMapper();
        var problems = new ProblemResponses(mapper);
        var json = new JsonResponses(mapper);
        var bodies = new RequestBodies(mapper, config.maxRequestBytes());
        var access = new AccessControl(config.keys(), new StreamTokens(), Clock.systemUTC());
        var pipeline = new RequestPipeline(access,
                BrowserPolicy.of(config.bindAddress(), config.settings().scope(NODE)), problems, metrics);
        var table = new RouteTable();
        var checks = new LinkedHashMap<String, HealthCheck>();
        checks.put("store", storeCheck(store, config.store().describe()));
        new OperationsRoutes(metrics, json, checks, modules.stream().map(NodeModule::name).toList()).register(table.registrar(NODE));
        table.registrar(NODE).post(STREAM_TOKENS, Role.USER, ctx -> json.send(ctx, 200, Map.of(
                "token", access.mintStreamToken(ctx.header("Authorization")),
                "expiresIn", StreamTokens.LIFETIME.toSeconds())));

        var streamStates = new StreamStates();
        var names = new ArrayList<String>();
        for (NodeModule module : modules) {
            String name = module.name();
            if (names.contains(name) || name.equals(NODE)) {
                throw new IllegalStateException("two modules are named " + name);
            }
            names.add(name);
            var context = new ModuleContext(name, store, metrics.registry(), json, problems, bodies,
                    table.registrar("module " + name), config.settings().scope(name), streamStates, access, checks, hooks);
            module.install(context);
            context.close();
        }
        List<RouteTable.Route> served = table.close();

        Javalin app = Javalin.create(javalin -> {
            configureServer(javalin, config, problems);
            for (RouteTable.Route route : served) {
                javalin.routes.addHttpHandler(route.method(), route.path(), pipeline.route(route.method().name(), route));
                if (route.method() == HandlerType.GET) {
                    // Javalin would answer HEAD itself, around the pipeline; this way it goes through it
                    javalin.routes.addHttpHandler(HandlerType.HEAD, route.path(), pipeline.route(HandlerType.HEAD.name(), route));
                }
            }
            // after every route, so that a route of another path that matches too is still chosen first
            RouteTable.allowedMethods(served).forEach((path, allowed) -> {
                String allow = String.join(", ", allowed);
                javalin.routes.addHttpHandler(HandlerType.OPTIONS, path, pipeline.options(path, allow));
                for (HandlerType method : RouteTable.ROUTE_METHODS) {
                    if (!allowed.contains(method.name())) {
                        javalin.routes.addHttpHandler(method, path, pipeline.methodNotAllowed(method, path, allow));
                    }
                }
            });
            // what reaches no route: Javalin throws (no such endpoint); answer it like any failure
            // (Javalin answers its own HttpResponseExceptions unless a handler names that class)
            javalin.routes.exception(HttpResponseException.class, pipeline::unmatched);
            javalin.routes.exception(Exception.class, pipeline::unmatched);
        });
        hooks.start();
        app.start(config.bindAddress(), config.port());
        var routes = served.stream()
                .map(route -> new Route(route.method().name(), route.path(), route.role(), route.owner()))
                .toList();
        var node = new AnnalsNode(config, store, metrics, hooks, app, routes);
        LOG.info("Annals node listening on {} with store {} and modules {}", node.baseUri(), config.store().describe(),
                names);
        return node;
    }

    private static HealthCheck storeCheck(EventStore store, String description) {
        return () -> {
            try {
                store.readAll(Position.START, 1);
                return Health.up(Map.of("kind", description));
            } catch (RuntimeException e) {
                LOG.warn("health check: store unreachable: {}", e.toString());
                return Health.down(Map.of("kind", description));
            }
        };
    }

    private static void configureServer(JavalinConfig javalin, NodeConfig config, ProblemResponses problems) {
        javalin.concurrency.useVirtualThreads = true;
        javalin.jetty.threadPool = threadPool();
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.http.maxRequestSize = config.maxRequestBytes();
        // event streams write straight to the socket; compression would buffer them
        javalin.http.compressionStrategy = CompressionStrategy.NONE;
        javalin.jetty.modifyServer(server -> {
            server.setStopTimeout(config.shutdownGrace().toMillis());
            // graceful shutdown lets Jetty finish requests in flight before it stops; Javalin hangs
            // its servlet under it. This replaces Javalin's default StatisticsHandler, whose
            // counters nothing reads and which wrapped every request.
            server.setHandler(new GracefulHandler());
            server.setErrorHandler(new ProtocolErrorHandler(problems));
        });
        javalin.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
        // routes are all the node serves, and every route answers its failures itself: the rest of
        // Javalin's request life cycle (filters, error handlers by status) would only search empty
        // lists for every request
        javalin.requestLifeCycle(DefaultTasks.INSTANCE.getHTTP());
        // the node keeps no HTTP sessions; Jetty's session handler would look for a session in every request
        javalin.jetty.modifyServletContextHandler(context -> context.setSessionHandler(new WithoutSessions()));
    }

    /** Jetty's session handler, minus looking up a session for each request: the node has none. */
    private static final class WithoutSessions extends SessionHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Handler next = getHandler();
            return next != null && next.handle(request, response, callback);
        }
    }

    /**
     * Every Jetty thread virtual, as Javalin's own virtual-thread pool has it, but Jetty's
     * {@link VirtualThreadPool}: as a {@code TryExecutor} it lets the thread that selected a
     * request run it and hands selecting on to a fresh virtual thread, where Javalin's pool makes
     * the selector hand each request off, through a tracking executor. Blocking handlers stay on
     * virtual threads.
     */
    private static ThreadPool threadPool() {
        var pool = new VirtualThreadPool();
        ThreadFactory threads = Thread.ofVirtual().name("annals-http").factory();
        pool.setVirtualThreadsExecutor(task -> threads.newThread(task).start());
        return pool;
    }

    public int port() {
        return app.port();
    }

    public URI baseUri() {
        String host = config.bindAddress().contains(":") ? "[" + config.bindAddress() + "]" : config.bindAddress();
        return URI.create("http://" + host + ":" + port());
    }

    /** Every endpoint registered, the node's own and the modules', with the role each needs. */
    public List<Route> routes() {
        return routes;
    }

    public EventStore store() {
        return store;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    /**
     * Stops gracefully: runs the modules' stopping hooks (live streams end), lets requests in
     * flight finish (up to the configured grace), runs the modules' stop hooks, then closes the
     * store. Safe to call more than once and from a shutdown hook.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            awaitTermination();
            return;
        }
        try {
            LOG.info("Annals node stopping");
            hooks.stopping();
            app.stop();
        } finally {
            try {
                hooks.stop();
                store.close();
            } finally {
                metrics.close();
                terminated.countDown();
                LOG.info("Annals node stopped");
            }
        }
    }

    /** Blocks until {@link #stop()} has completed. */
    public void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
