package io.annals.server.http.ops;

import io.annals.server.http.HttpModule;
import io.annals.server.metrics.NodeMetrics;
import io.javalin.router.JavalinDefaultRoutingApi;

/** {@code GET /metrics}: Prometheus text exposition. */
public final class MetricsRoutes implements HttpModule {

    public static final String PATH = "/metrics";

    private final NodeMetrics metrics;

    public MetricsRoutes(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get(PATH, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    }
}
