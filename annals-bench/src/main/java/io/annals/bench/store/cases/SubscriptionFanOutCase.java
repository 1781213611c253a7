package io.annals.bench.store.cases;

import io.annals.bench.report.Unit;
import io.annals.bench.store.BenchSettings;
import io.annals.bench.subject.AnnalsSubject;
import io.annals.bench.subject.BenchSubject;
import io.annals.bench.workload.BenchEvents;
import io.annals.bench.workload.StreamChunk;
import io.annals.event.Position;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code subscribers} live subscriptions to all events, each taking events one at a time, while
 * one writer appends batches of {@value #APPEND_BATCH} events as fast as it can. The figure is
 * the delivery rate of the slowest subscription over the measurement window, after the warm-up.
 * Its baseline, {@value #SINGLE}, is the same case with one subscription, measured in the same run.
 */
public record SubscriptionFanOutCase(int subscribers) implements StoreCase {

    public static final String SINGLE = "single-subscription";
    static final int APPEND_BATCH = 100;
    private static final Duration SETTLING = Duration.ofSeconds(60);

    @Override
    public String name() {
        return subscribers == 1 ? SINGLE : "fan-out-" + subscribers + "-subscriptions";
    }

    @Override
    public Unit unit() {
        return Unit.EVENTS_PER_SECOND;
    }

    @Override
    public int rounds(BenchSettings settings) {
        return settings.rounds();
    }

    @Override
    public Map<String, StoreCase> sameRunBaselines() {
        return subscribers == 1 ? Map.of() : Map.of(SINGLE, new SubscriptionFanOutCase(1));
    }

    @Override
    public boolean supports(BenchSubject subject) {
        return subject instanceof AnnalsSubject;
    }

    @Override
    public double measure(BenchSubject subject, BenchSettings settings) throws Exception {
        var annals = (AnnalsSubject) subject;
        EventStore store = annals.store();
        var delivered = new ArrayList<AtomicLong>(subscribers);
        var subscriptions = new ArrayList<Subscription>(subscribers);
        var stop = new AtomicBoolean();
        var failure = new AtomicReference<Throwable>();
        Thread writer = null;
        try {
            for (int s = 0; s < subscribers; s++) {
                var count = new AtomicLong();
                delivered.add(count);
                subscriptions.add(store.subscribeToAll(Position.START, EventFilter.ALL, event -> count.incrementAndGet()));
            }
            awaitLive(subscriptions);
            writer = Thread.ofVirtual().name("bench-fan-out-writer").start(() -> {
                long batchesPerStream = AppendSingleEventsCase.STREAM_LENGTH / APPEND_BATCH;
                try {
                    for (long batch = 0; !stop.get(); batch++) {
                        annals.appendBatch(new StreamChunk("fan-out-" + batch / batchesPerStream,
                                batch % batchesPerStream * APPEND_BATCH,
                                BenchEvents.events(batch * APPEND_BATCH, APPEND_BATCH)));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            Thread.sleep(settings.warmup());
            long[] before = counts(delivered);
            long start = System.nanoTime();
            Thread.sleep(settings.measure());
            long[] after = counts(delivered);
            long elapsed = System.nanoTime() - start;
            stop.set(true);
            writer.join();
            if (failure.get() != null) {
                throw new IllegalStateException("the writer failed during " + name(), failure.get());
            }
            for (Subscription subscription : subscriptions) {
                if (!subscription.isRunning()) {
                    throw new IllegalStateException("a subscription stopped during " + name()
                            + subscription.failure().map(e -> ": " + e).orElse(""));
                }
            }
            long slowest = Long.MAX_VALUE;
            for (int s = 0; s < subscribers; s++) {
                slowest = Math.min(slowest, after[s] - before[s]);
            }
            return slowest * 1e9 / elapsed;
        } finally {
            stop.set(true);
            if (writer != null) {
                writer.join();
            }
            subscriptions.forEach(Subscription::close);
        }
    }

    private static void awaitLive(List<Subscription> subscriptions) {
        long deadline = System.nanoTime() + SETTLING.toNanos();
        while (!subscriptions.stream().allMatch(Subscription::isLive)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the subscriptions did not go live within " + SETTLING);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static long[] counts(List<AtomicLong> delivered) {
        long[] counts = new long[delivered.size()];
        for (int s = 0; s < counts.length; s++) {
            counts[s] = delivered.get(s).get();
        }
        return counts;
    }
}
