package io.annals.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** The store API's meters: appends by outcome, events appended, live streams and their delivery lag. */
public final class StoreApiMetrics {

    private final MeterRegistry registry;
    private final Counter appendedEvents;
    private final Map<String, Timer> appendTimers = new ConcurrentHashMap<>();

    public StoreApiMetrics(MeterRegistry registry) {
        this.registry = registry;
        appendedEvents = Counter.builder("annals.events.appended")
                .description("events written through the HTTP API; a retry that wrote nothing counts none")
                .register(registry);
    }

    /**
     * @param outcome the append's outcome ({@code ok}, {@code conflict}, ...)
     * @param written how many events it wrote: none for a retry, which answers an earlier append
     */
    public void recordAppend(String outcome, int written, long elapsedNanos) {
        appendTimers.computeIfAbsent(outcome, key -> Timer.builder("annals.appends")
                        .description("append requests by outcome")
                        .tag("outcome", key)
                        .register(registry))
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
        if ("ok".equals(outcome)) {
            appendedEvents.increment(written);
        }
    }

    private static double seconds(Supplier<Duration> lag) {
        try {
            return lag.get().toNanos() / 1e9;
        } catch (RuntimeException storeUnreachable) {
            // not known while the store cannot be read; health reports the store
            return Double.NaN;
        }
    }

    /** Reports how many live event streams are open, read whenever metrics are scraped. */
    public void gaugeOpenStreams(IntSupplier openStreams) {
        Gauge.builder("annals.subscriptions.open", openStreams::getAsInt)
                .description("live event streams (SSE clients) following the store")
                .register(registry);
    }

    /**
     * Reports how far behind the head of the log the furthest behind live stream is, read whenever
     * metrics are scraped: zero when every stream has been sent all it matches.
     */
    public void gaugeLag(Supplier<Duration> lag) {
        TimeGauge.builder("annals.subscription.lag", lag, TimeUnit.SECONDS, StoreApiMetrics::seconds)
                .description("how far behind the head of the log the furthest behind live stream (SSE client) is")
                // a gauge holds its object weakly; nothing else holds this supplier, so a collection would leave NaN
                .strongReference(true)
                .register(registry);
    }
}
