package io.annals.dashboard;

import io.annals.event.RecordedEvent;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.EventSubscriptions;
import io.annals.store.Subscription;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's throughput and latency over the last minutes, sampled from its own meters, for the
 * dashboard's charts (the Prometheus text of {@code /metrics} holds only totals since start).
 * <p>
 * Each sample covers the time since the one before: events recorded per second (every event the
 * store recorded, whoever appended it: {@link #recorded(int)} is fed by a subscription to the
 * store), API requests per second and their mean and maximum latency (the node's
 * {@code http.server.requests} timers, without the dashboard's own routes and without event
 * streams, whose requests last as long as a client follows them), the mean latency of the
 * store API's appends ({@code annals.appends}), and how long after its recording each event
 * reached the subscription (mean and maximum): what a live subscriber of the node waits.
 */
final class MetricsHistory implements AutoCloseable {

    /** One interval; a mean or maximum is null when nothing was measured in it. */
    record Sample(long at, double eventsPerSecond, double requestsPerSecond, Double requestMeanMillis,
                  Double requestMaxMillis, Double appendMeanMillis, Double deliveryMeanMillis, Double deliveryMaxMillis) {
    }

    private record Totals(long nanos, long events, long requests, double requestSeconds, long appends, double appendSeconds,
                          double deliveryMillis) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(MetricsHistory.class);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration interval;
    private final int capacity;
    private final LongAdder recorded = new LongAdder();
    private final DoubleAdder deliveryMillis = new DoubleAdder();
    private final DoubleAccumulator deliveryMaxMillis = new DoubleAccumulator(Math::max, 0);
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private Totals last;
    private ScheduledExecutorService timer;
    private Subscription counting;

    MetricsHistory(MeterRegistry registry, Clock clock, Duration interval, Duration kept) {
        this.registry = registry;
        this.clock = clock;
        this.interval = interval;
        this.capacity = (int) Math.max(1, kept.toMillis() / Math.max(1, interval.toMillis()));
    }

    /**
     * Counts the events {@code store} records from now on (a live subscription from its head) and
     * takes a sample every interval, until {@link #close()}.
     */
    synchronized void start(EventStore store) {
        counting = store.subscribeToAll(store.headPosition(), EventFilter.ALL, EventSubscriptions.MAX_BATCH, this::recorded);
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("dashboard-metrics").daemon().factory());
        sample(System.nanoTime());
        timer.scheduleAtFixedRate(() -> {
            try {
                sample(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.warn("dashboard: sampling the metrics failed: {}", e.toString());
            }
        }, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        ScheduledExecutorService stopping;
        Subscription subscription;
        synchronized (this) {
            stopping = timer;
            subscription = counting;
        }
        if (stopping != null) {
            stopping.shutdownNow();
            stopping.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (subscription != null) {
            subscription.close();
        }
    }

    /** Counts events the store recorded, as a live subscription receives them, and how long after their recording. */
    void recorded(List<RecordedEvent> events) {
        Instant now = clock.instant();
        for (RecordedEvent event : events) {
            double millis = Math.max(0, Duration.between(event.recordedAt(), now).toNanos() / 1e6);
            deliveryMillis.add(millis);
            deliveryMaxMillis.accumulate(millis);
        }
        recorded.add(events.size());
    }

    /** Takes a sample: what happened since the last call (the first call only sets the start). */
    synchronized void sample(long nanoTime) {
        Totals now = totals(nanoTime);
        double deliveryMax = deliveryMaxMillis.getThenReset();
        if (last != null && now.nanos() > last.nanos()) {
            double seconds = (now.nanos() - last.nanos()) / 1e9;
            long events = now.events() - last.events();
            long requests = now.requests() - last.requests();
            long appends = now.appends() - last.appends();
            samples.addLast(new Sample(clock.millis(),
                    events / seconds,
                    requests / seconds,
                    requests > 0 ? (now.requestSeconds() - last.requestSeconds()) * 1000 / requests : null,
                    requests > 0 ? maxRequestMillis() : null,
                    appends > 0 ? (now.appendSeconds() - last.appendSeconds()) * 1000 / appends : null,
                    events > 0 ? (now.deliveryMillis() - last.deliveryMillis()) / events : null,
                    events > 0 ? deliveryMax : null));
            while (samples.size() > capacity) {
                samples.removeFirst();
            }
        }
        last = now;
    }

    synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    private Totals totals(long nanoTime) {
        long requests = 0;
        double requestSeconds = 0;
        for (Timer timer : apiTimers()) {
            requests += timer.count();
            requestSeconds += timer.totalTime(TimeUnit.SECONDS);
        }
        long appends = 0;
        double appendSeconds = 0;
        for (Timer timer : registry.find("annals.appends").timers()) {
            appends += timer.count();
            appendSeconds += timer.totalTime(TimeUnit.SECONDS);
        }
        return new Totals(nanoTime, recorded.sum(), requests, requestSeconds, appends, appendSeconds, deliveryMillis.sum());
    }

    private double maxRequestMillis() {
        return apiTimers().stream().mapToDouble(timer -> timer.max(TimeUnit.MILLISECONDS)).max().orElse(0);
    }

    private List<Timer> apiTimers() {
        return registry.find("http.server.requests").timers().stream().filter(timer -> counted(timer.getId().getTag("route"))).toList();
    }

    /** The API's routes, less the dashboard's own and the event streams. */
    static boolean counted(String route) {
        return route != null && route.startsWith("/api/") && !route.startsWith(DashboardModule.API + "/")
                && !route.endsWith("/stream") && !route.endsWith("/live");
    }
}
