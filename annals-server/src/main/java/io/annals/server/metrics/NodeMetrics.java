package io.annals.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node's metrics registry, scraped as Prometheus text at {@code /metrics}: the HTTP requests
 * of every route and the JVM; modules add their own meters to the same registry.
 */
public final class NodeMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    // the timers by their tags, so that a request finds its timer with one map lookup instead of
    // building and registering a meter id each time; the tags come from a small fixed set
    private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();

    private record RequestKey(String method, String route, int status) {
    }

    public NodeMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    public void recordRequest(String method, String route, int status, long elapsedNanos) {
        requestTimers.computeIfAbsent(new RequestKey(method, route, status), key -> Timer.builder("http.server.requests")
                        .description("HTTP requests handled by the node")
                        .tag("method", key.method())
                        .tag("route", key.route())
                        .tag("status", Integer.toString(key.status()))
                        .register(registry))
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
