package io.annals.server;

import io.annals.server.http.AccessControl;
import io.annals.server.http.HttpModule;
import io.annals.server.http.JsonResponses;
import io.annals.server.http.ProblemResponses;
import io.annals.server.http.ProtocolErrorHandler;
import io.annals.server.http.RequestBodies;
import io.annals.server.http.events.EventRoutes;
import io.annals.server.http.events.EventStreamRoutes;
import io.annals.server.http.events.LiveStreams;
import io.annals.server.http.ops.HealthRoutes;
import io.annals.server.http.ops.MetricsRoutes;
import io.annals.server.http.ops.OpenApiRoutes;
import io.annals.server.http.streams.AppendHandler;
import io.annals.server.http.streams.AppendRequestParser;
import io.annals.server.http.streams.StreamAppends;
import io.annals.server.http.streams.StreamRoutes;
import io.annals.server.json.Json;
import io.annals.server.metrics.NodeMetrics;
import io.annals.server.store.EventStores;
import io.annals.store.AppendLimits;
import io.annals.store.EventStore;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Annals node: one event store served over HTTP. This is the composition root: it opens the
 * store, builds each {@link HttpModule} with what it needs and starts the server. Embed it with
 * {@link #start(NodeConfig)} (port 0 picks a free port, see {@link #port()}) and {@link #stop()}.
 */
public final class AnnalsNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnnalsNode.class);
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    /** One endpoint the node serves, with its path template ({@code /api/streams/{streamId}}). */
    public record Route(String method, String path) {
    }

    private final NodeConfig config;
    private final EventStore store;
    private final NodeMetrics metrics;
    private final LiveStreams liveStreams;
    private final Javalin app;
    private final List<Route> routes;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private AnnalsNode(NodeConfig config, EventStore store, NodeMetrics metrics, LiveStreams liveStreams, Javalin app,
                       List<Route> routes) {
        this.config = config;
        this.routes = routes;
        this.store = store;
        this.metrics = metrics;
        this.liveStreams = liveStreams;
        this.app = app;
    }

    /** Opens the configured store and serves it. */
    public static AnnalsNode start(NodeConfig config) {
        return start(config, EventStores.open(config.store()), List.of());
    }

    /**
     * Serves a store that the caller opened; the node owns it from here and closes it on stop.
     * {@code extraModules} add routes beside the built-in ones.
     */
    public static AnnalsNode start(NodeConfig config, EventStore store, List<HttpModule> extraModules) {
        var metrics = new NodeMetrics();
        var liveStreams = new LiveStreams();
        metrics.gaugeOpenStreams(liveStreams::count);
        var mapper = Json.strictMapper();
        var problems = new ProblemResponses(mapper);
        var json = new JsonResponses(mapper);
        var accessControl = new AccessControl(config.keys());
        var bodies = new RequestBodies(mapper, config.maxRequestBytes());

        var modules = new ArrayList<HttpModule>();
        var appends = new StreamAppends(store, bodies, new AppendRequestParser(AppendLimits.DEFAULT.maxEventsPerAppend()),
                metrics);
        var appendHandler = new AppendHandler(appends, bodies, accessControl, problems, metrics);
        modules.add(new StreamRoutes(store, bodies, appends, json));
        modules.add(new EventRoutes(store, json));
        modules.add(new EventStreamRoutes(store, liveStreams, config.heartbeat(), metrics, Clock.systemUTC()));
        modules.add(new HealthRoutes(store, liveStreams, config.store().describe(), json));
        modules.add(new MetricsRoutes(metrics));
        modules.add(new OpenApiRoutes());
        modules.addAll(extraModules);

        var routes = new ArrayList<Route>();
        Javalin app = Javalin.create(javalin -> {
            configureServer(javalin, config, metrics, appendHandler);
            javalin.events.handlerAdded(handler -> {
                if (HTTP_METHODS.contains(handler.getHttpMethod().name())) {
                    routes.add(new Route(handler.getHttpMethod().name(), handler.getPath()));
                }
            });
            if (config.keys().enabled()) {
                // without keys every request is allowed; leaving the filter out spares each request its path match
                javalin.routes.before(AccessControl.PATH, accessControl::check);
            }
            javalin.routes.exception(HttpResponseException.class, (failure, ctx) -> problems.send(ctx, problems.toProblem(failure)));
            javalin.routes.exception(Exception.class, (failure, ctx) -> problems.send(ctx, problems.toProblem(failure)));
            for (int status : new int[] {400, 404, 405, 413, 500, 503}) {
                // Javalin answers some failures itself (no route, wrong method); make them problems too
                javalin.routes.error(status, ctx -> problems.ensureProblem(ctx));
            }
            modules.forEach(module -> module.register(javalin.routes));
        });
        try {
            app.start(config.bindAddress(), config.port());
        } catch (RuntimeException e) {
            store.close();
            metrics.close();
            throw e;
        }
        var node = new AnnalsNode(config, store, metrics, liveStreams, app, List.copyOf(routes));
        LOG.info("Annals node listening on {} with store {}", node.baseUri(), config.store().describe());
        return node;
    }

    private static void configureServer(JavalinConfig javalin, NodeConfig config, NodeMetrics metrics,
                                        AppendHandler appendHandler) {
        javalin.concurrency.useVirtualThreads = true;
        javalin.jetty.threadPool = threadPool();
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.http.maxRequestSize = config.maxRequestBytes();
        // event streams write straight to the socket; compression would buffer them
        javalin.http.compressionStrategy = CompressionStrategy.NONE;
        javalin.jetty.modifyServer(server -> {
            server.setStopTimeout(config.shutdownGrace().toMillis());
            // the chain is ours: graceful shutdown (lets Jetty finish requests in flight before it
            // stops), then the append fast path, then Javalin's servlet, which Javalin hangs under
            // the innermost wrapper. This replaces Javalin's default StatisticsHandler, whose
            // counters nothing reads and which wrapped every request.
            var graceful = new GracefulHandler();
            graceful.setHandler(appendHandler);
            server.setHandler(graceful);
            server.setErrorHandler(new ProtocolErrorHandler());
        });
        javalin.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
        javalin.requestLogger.http((ctx, millis) -> metrics.recordRequest(ctx.method().name(), routeOf(ctx),
                ctx.statusCode(), (long) (millis * 1_000_000)));
    }

    /**
     * Every Jetty thread virtual, as Javalin's own virtual-thread pool has it, but Jetty's
     * {@link VirtualThreadPool}: as a {@code TryExecutor} it lets the thread that selected a
     * request run it and hands selecting on to a fresh virtual thread, where Javalin's pool makes
     * the selector hand each request off. That, and starting threads without a tracking executor,
     * cut the CPU per request by about a quarter. Blocking handlers stay on virtual threads.
     */
    private static ThreadPool threadPool() {
        var pool = new VirtualThreadPool();
        ThreadFactory threads = Thread.ofVirtual().name("annals-http").factory();
        pool.setVirtualThreadsExecutor(task -> threads.newThread(task).start());
        return pool;
    }

    private static String routeOf(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException unmatched) {
            return "unmatched";
        }
    }

    public int port() {
        return app.port();
    }

    public URI baseUri() {
        String host = config.bindAddress().contains(":") ? "[" + config.bindAddress() + "]" : config.bindAddress();
        return URI.create("http://" + host + ":" + port());
    }

    /** Every endpoint registered, built-in and from extra modules. */
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
     * Stops gracefully: ends live streams, lets requests in flight finish (up to the configured
     * grace), then closes the store. Safe to call more than once and from a shutdown hook.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            awaitTermination();
            return;
        }
        try {
            LOG.info("Annals node stopping");
            liveStreams.closeAll();
            app.stop();
        } finally {
            try {
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
