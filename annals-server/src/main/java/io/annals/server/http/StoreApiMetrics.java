package io.annals.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** The store API's meters: appends by outcome, events appended, live streams and their delivery lag. */
public final class StoreApiMetrics {

    private final MeterRegistry registry;
    private final Counter appendedEvents;
    private final Timer deliveryLag;
    private final Map<String, Timer> appendTimers = new ConcurrentHashMap<>();

    public StoreApiMetrics(MeterRegistry registry) {
        this.registry = registry;
        appendedEvents = Counter.builder("annals.events.appended")
                .description("events written through the HTTP API")
                .register(registry);
        deliveryLag = Timer.builder("annals.subscription.lag")
                .description("time from an event's commit to its delivery on a live stream")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
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
    public void gaugeOpenStreams(IntSupplier openStreams) {
        Gauge.builder("annals.subscriptions.open", openStreams::getAsInt)
                .description("live event streams (SSE clients) following the store")
                .register(registry);
    }

    public void recordDeliveryLag(Duration lag) {
        deliveryLag.record(Math.max(0, lag.toNanos()), TimeUnit.NANOSECONDS);
    }
}
