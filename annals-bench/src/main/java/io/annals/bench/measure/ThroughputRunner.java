package io.annals.bench.measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs closed-loop clients on virtual threads for a warm-up, then counts the events they complete
 * during a fixed measurement window. Clients keep running across the window's edges, so the
 * window sees steady state, not start-up or wind-down.
 */
public final class ThroughputRunner {

    /** Throughput, and the latency of each operation that finished inside the window. */
    public record Result(double eventsPerSecond, LatencySamples latencies) {
    }

    private ThroughputRunner() {
    }

    /** Events per second that {@code clients} concurrent clients reach. */
    public static double eventsPerSecond(int clients, Duration warmup, Duration measure, ClientOperation operation)
            throws Exception {
        return run(clients, warmup, measure, operation).eventsPerSecond();
    }

    public static Result run(int clients, Duration warmup, Duration measure, ClientOperation operation)
            throws Exception {
        var stop = new AtomicBoolean();
        var measuring = new AtomicBoolean();
        var failure = new AtomicReference<Throwable>();
        var events = new LongAdder();
        var perClient = new ArrayList<LatencySamples>(clients);
        var threads = new ArrayList<Thread>(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            var samples = new LatencySamples(1024);
            perClient.add(samples);
            threads.add(Thread.ofVirtual().name("bench-client-" + c).start(() -> {
                try {
                    for (long iteration = 0; !stop.get(); iteration++) {
                        long start = System.nanoTime();
                        events.add(operation.run(client, iteration));
                        if (measuring.get()) {
                            samples.add(System.nanoTime() - start);
                        }
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
            measuring.set(true);
            Thread.sleep(measure);
            measuring.set(false);
            long after = events.sum();
            long elapsed = System.nanoTime() - start;
            stop.set(true);
            joinAll(threads);
            rethrow(failure.get());
            return new Result((after - before) * 1e9 / elapsed, LatencySamples.merge(perClient));
        } finally {
            stop.set(true);
            joinAll(threads);
        }
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
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
