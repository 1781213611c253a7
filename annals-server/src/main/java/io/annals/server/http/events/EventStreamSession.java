package io.annals.server.http.events;

import io.annals.event.RecordedEvent;
import io.annals.server.http.StoreApiMetrics;
import io.annals.store.EventHandler;
import io.annals.store.Subscription;
import io.annals.store.jsonlines.RecordedEventJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One client following the global order over Server-Sent Events. The store's subscription fills a
 * bounded queue on its own virtual thread (blocking when the client reads slowly, so memory stays
 * bounded); the request's virtual thread drains it to the socket and writes heartbeats when idle.
 */
final class EventStreamSession {

    private static final int QUEUE_CAPACITY = 1024;
    private static final int MAX_BATCH = 256;

    private final BlockingQueue<RecordedEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final OutputStream out;
    private final Duration heartbeat;
    private final StoreApiMetrics metrics;
    private final Clock clock;
    private volatile Thread writer;
    private volatile boolean ended;
    private volatile Subscription subscription;

    EventStreamSession(OutputStream out, Duration heartbeat, StoreApiMetrics metrics, Clock clock) {
        this.out = out;
        this.heartbeat = heartbeat;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Streams until the client leaves, the subscription fails or {@link #end()} is called;
     * {@code start} sets the response's status and headers once the subscription is running.
     */
    void run(Function<EventHandler, Subscription> subscribe, Runnable start) throws IOException {
        writer = Thread.currentThread();
        try {
            // subscribe before the first byte goes out, so that a store failure here still gets a problem answer
            subscription = subscribe.apply(queue::put);
            start.run();
            write(": annals event stream\nretry: 1000\n\n");
            var batch = new ArrayList<RecordedEvent>(MAX_BATCH);
            while (!ended) {
                RecordedEvent first = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (!subscription.isRunning()) {
                        write("event: annals-error\ndata: {\"detail\":\"the subscription stopped; reconnect to resume\"}\n\n");
                        return;
                    }
                    write(": heartbeat\n\n");
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                var text = new StringBuilder(batch.size() * 300);
                for (RecordedEvent event : batch) {
                    appendFrame(text, event);
                }
                write(text.toString());
                long now = clock.millis();
                for (RecordedEvent event : batch) {
                    metrics.recordDeliveryLag(Duration.ofMillis(now - event.recordedAt().toEpochMilli()));
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            // end() interrupts the writer to stop it at once; the response then completes normally
        } finally {
            Subscription current = subscription;
            if (current != null) {
                current.close();
            }
        }
    }

    boolean subscriptionFailed() {
        Subscription current = subscription;
        return current != null && current.failure().isPresent();
    }

    void end() {
        ended = true;
        Subscription current = subscription;
        if (current != null) {
            current.close();
        }
        Thread thread = writer;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static void appendFrame(StringBuilder frame, RecordedEvent event) {
        frame.append("id: ").append(event.position()).append('\n');
        frame.append("event: ").append(singleLine(event.type())).append('\n');
        // a JSON text may hold raw line breaks between tokens; each line becomes one data field,
        // which the client joins back with '\n'
        String json = RecordedEventJson.toJson(event);
        for (String line : json.split("\r\n|\r|\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        frame.append('\n');
    }

    private static String singleLine(String type) {
        return type.codePoints()
                .map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
