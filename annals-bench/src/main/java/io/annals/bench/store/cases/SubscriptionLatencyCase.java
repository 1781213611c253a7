package io.annals.bench.store.cases;

import io.annals.bench.measure.LatencySamples;
import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.subject.AnnalsSubject;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.workload.BenchEvents;
import io.annals.event.EventData;
import io.annals.event.Metadata;
import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.ExpectedVersion;
import io.annals.store.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A live subscription to all events while writers append {@code ratePerSecond} single events per
 * second, open-loop: each append starts on its own virtual thread at its scheduled time, whether
 * or not earlier ones have finished. Latency runs from just before the append call to the
 * handler receiving the event, so it includes the commit. The figure is the 99th percentile over
 * the measurement window, after a one-second warm-up.
 */
public record SubscriptionLatencyCase(int ratePerSecond) implements StoreCase {

    private static final String SENT_AT = "benchSentAtNanos";
    private static final String MEASURED = "benchMeasured";
    private static final Duration WARMUP = Duration.ofSeconds(1);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "subscription-latency-p99";
    }

    @Override
    public Unit unit() {
        return Unit.MILLISECONDS;
    }

    @Override
    public int connections() {
        return 16;
    }

    @Override
    public boolean supports(BenchSubject subject) {
        return subject instanceof AnnalsSubject;
    }

    @Override
    public double measure(BenchSubject subject, BenchSettings settings) throws Exception {
        var store = ((AnnalsSubject) subject).store();
        int warmupEvents = (int) (WARMUP.toMillis() * ratePerSecond / 1000);
        int measuredEvents = (int) Math.max(1, settings.measure().toMillis() * ratePerSecond / 1000);
        var samples = new LatencySamples(measuredEvents);
        var delivered = new CountDownLatch(warmupEvents + measuredEvents);
        var failure = new AtomicReference<Throwable>();
        try (Subscription subscription = store.subscribeToAll(Position.START, EventFilter.ALL, event -> {
            long received = System.nanoTime();
            if (event.metadata().get(MEASURED).isPresent()) {
                samples.add(received - Long.parseLong(event.metadata().get(SENT_AT).orElseThrow()));
            }
            delivered.countDown();
        })) {
            long intervalNanos = 1_000_000_000L / ratePerSecond;
            long start = System.nanoTime();
            for (int i = 0; i < warmupEvents + measuredEvents && failure.get() == null; i++) {
                long due = start + i * intervalNanos;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                int index = i;
                boolean measured = i >= warmupEvents;
                Thread.ofVirtual().start(() -> {
                    try {
                        var metadata = measured ? Metadata.of(MEASURED, "true") : Metadata.EMPTY;
                        var event = BenchEvents.event(index);
                        var data = new EventData(event.eventId(), event.type(), event.json(),
                                metadata.with(SENT_AT, Long.toString(System.nanoTime())), null);
                        store.append(StreamId.of("live-" + index), ExpectedVersion.noStream(), List.of(data));
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            boolean all = delivered.await(DELIVERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (failure.get() != null) {
                throw new IllegalStateException("an append failed during the subscription case", failure.get());
            }
            if (!all) {
                throw new IllegalStateException("the subscription delivered only "
                        + (warmupEvents + measuredEvents - delivered.getCount()) + " of "
                        + (warmupEvents + measuredEvents) + " events within " + DELIVERY_TIMEOUT
                        + subscription.failure().map(e -> "; it failed: " + e).orElse(""));
            }
        }
        return samples.percentileMillis(99);
    }
}
