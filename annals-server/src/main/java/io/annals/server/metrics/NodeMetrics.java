package io.annals.server.metrics;

import io.micrometer.core.instrument.Counter;
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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node's meters, scraped as Prometheus text at {@code /metrics}: HTTP requests, appends,
 * live-stream delivery lag, and the JVM.
 */
public final class NodeMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Counter appendedEvents;
    private final Timer deliveryLag;
    // the timers by their tags, so that a request finds its timer with one map lookup instead of
    // building and registering a meter id each time; the tags come from a small fixed set
    private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> appendTimers = new ConcurrentHashMap<>();

    private record RequestKey(String method, String route, int status) {
    }

    public NodeMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        appendedEvents = Counter.builder("annals.events.appended")
                .description("events written through the HTTP API")
                .register(registry);
        deliveryLag = Timer.builder("annals.subscription.lag")
                .description("time from an event's commit to its delivery on a live stream")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
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

    public void recordAppend(String outcome, int events, long elapsedNanos) {
        appendTimers.computeIfAbsent(outcome, key -> Timer.builder("annals.appends")
                        .description("append requests by outcome")
                        .tag("outcome", key)
                        .register(registry))
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
        if ("ok".equals(outcome)) {
            appendedEvents.increment(events);
        }
    }

    /** Reports how many live event streams are open, read whenever metrics are scraped. */
    public void gaugeOpenStreams(java.util.function.IntSupplier openStreams) {
        io.micrometer.core.instrument.Gauge.builder("annals.subscriptions.open", openStreams::getAsInt)
                .description("live event streams (SSE clients) following the store")
                .register(registry);
    }

    public void recordDeliveryLag(Duration lag) {
        deliveryLag.record(Math.max(0, lag.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
