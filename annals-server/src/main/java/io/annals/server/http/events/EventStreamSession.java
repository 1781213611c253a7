package io.annals.server.http.events;

import io.annals.event.RecordedEvent;
import io.annals.store.Subscription;
import io.annals.store.jsonlines.RecordedEventJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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
    private final BooleanSupplier clientLeft;
    private final Instant started;
    private volatile Thread writer;
    private volatile boolean ended;
    private volatile Subscription subscription;
    private volatile Feed feed;
    private volatile RecordedEvent lastSent;

    /**
     * @param clientLeft whether the client is known to have closed its connection, asked without
     *                   writing to it (a write would find out only at the next heartbeat)
     */
    EventStreamSession(OutputStream out, Duration heartbeat, BooleanSupplier clientLeft, Instant started) {
        this.out = out;
        this.heartbeat = heartbeat;
        this.clientLeft = clientLeft;
        this.started = started;
    }

    /**
     * Streams until the client leaves, the subscription fails or {@link #end()} is called;
     * {@code start} sets the response's status and headers once the subscription is running.
     */
    void run(Feed followed, Runnable start) throws IOException {
        writer = Thread.currentThread();
        follow(followed);
        try {
            // subscribe before the first byte goes out, so that a store failure here still gets a problem answer
            subscription = followed.subscribe(queue::put);
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
                    appendFrame(text, followed.idOf(event), event);
                }
                write(text.toString());
                lastSent = batch.getLast();
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

    /** What the session follows, known before it runs so that its lag can be asked at once. */
    void follow(Feed followed) {
        feed = followed;
    }

    /**
     * How far behind the head of the log this client is, as time: zero when it has been sent every
     * event that matches its filter; otherwise how long the oldest event it has not been sent has
     * been waiting for it, counted from when the event was recorded or the client connected,
     * whichever is later. Replaying old history is not lag; falling behind while replaying is.
     */
    Duration lag(Instant now) {
        Feed followed = feed;
        Optional<RecordedEvent> pending = followed == null ? Optional.empty() : followed.firstUnsent(lastSent);
        if (pending.isEmpty()) {
            return Duration.ZERO;
        }
        Instant recorded = pending.get().recordedAt();
        Instant waitingSince = recorded.isAfter(started) ? recorded : started;
        Duration lag = Duration.between(waitingSince, now);
        return lag.isNegative() ? Duration.ZERO : lag;
    }

    /** Whether the client has gone; if so, the stream is ended. */
    boolean endIfClientLeft() {
        if (!ended && clientLeft.getAsBoolean()) {
            end();
        }
        return ended;
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

    static void appendFrame(StringBuilder frame, String id, RecordedEvent event) {
        frame.append("id: ").append(id).append('\n');
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
