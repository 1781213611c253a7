package io.annals.bench.measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs closed-loop clients on virtual threads for a warm-up, then counts the events they complete
 * during a fixed measurement window. Clients keep running across the window's edges, so the
 * window sees steady state, not start-up or wind-down.
 */
public final class ThroughputRunner {

    private ThroughputRunner() {
    }

    /** Events per second that {@code clients} concurrent clients reach. */
    public static double eventsPerSecond(int clients, Duration warmup, Duration measure, ClientOperation operation)
            throws Exception {
        var stop = new AtomicBoolean();
        var failure = new AtomicReference<Throwable>();
        var events = new LongAdder();
        var threads = new ArrayList<Thread>(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofVirtual().name("bench-client-" + c).start(() -> {
                try {
                    for (long iteration = 0; !stop.get(); iteration++) {
                        events.add(operation.run(client, iteration));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                }
            }));
        }
        try {
            Thread.sleep(warmup);
            long before = events.sum();
            long start = System.nanoTime();
            Thread.sleep(measure);
            long after = events.sum();
            long elapsed = System.nanoTime() - start;
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            rethrow(failure.get());
            return (after - before) * 1e9 / elapsed;
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    private static void rethrow(Throwable failure) throws Exception {
        switch (failure) {
            case null -> { }
            case Exception e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure);
        }
    }
}
