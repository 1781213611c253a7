package io.annals.store.subscription;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.store.EventHandler;
import io.annals.store.EventStoreClosedException;
import io.annals.store.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A catch-up subscription that reads the store in batches and, once caught up, sleeps on an
 * {@link AppendSignal} until the next append (or until {@code pollInterval} passes, in case a
 * signal was lost). Catching up and going live are the same loop over the same cursor, which is
 * why there can be no gap or duplicate at the switch.
 */
public final class PollingSubscription implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(PollingSubscription.class);

    private final EventCursor cursor;
    private final AppendSignal signal;
    private final EventHandler handler;
    private final int batchSize;
    private final Duration pollInterval;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Position position;
    private volatile boolean live;
    private volatile Throwable failure;

    private PollingSubscription(String name, EventCursor cursor, Position start, AppendSignal signal,
                                EventHandler handler, int batchSize, Duration pollInterval) {
        this.cursor = cursor;
        this.signal = signal;
        this.handler = handler;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.position = start;
        this.thread = Thread.ofVirtual().name(name).unstarted(this::run);
    }

    public static PollingSubscription start(String name, EventCursor cursor, Position start, AppendSignal signal,
                                            EventHandler handler, int batchSize, Duration pollInterval) {
        var subscription = new PollingSubscription(name, cursor, start, signal, handler, batchSize, pollInterval);
        subscription.thread.start();
        return subscription;
    }

    private void run() {
        try {
            while (running.get()) {
                long seen = signal.generation();
                List<RecordedEvent> batch;
                try {
                    batch = cursor.next(batchSize);
                } catch (EventStoreClosedException e) {
                    return; // the store closed under the read: the subscription ends with it, which is no failure
                }
                for (RecordedEvent event : batch) {
                    if (!running.get()) {
                        return;
                    }
                    handler.handle(event);
                    position = event.position();
                }
                if (batch.size() < batchSize) {
                    live = true;
                    signal.awaitChange(seen, pollInterval);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            if (running.get()) {
                failure = e;
                log.warn("subscription {} stopped at position {}: {}", thread.getName(), position, e.toString());
            }
        } finally {
            running.set(false);
        }
    }

    @Override
    public Position position() {
        return position;
    }

    @Override
    public boolean isLive() {
        return live;
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Stops delivery and waits for the subscription's thread to finish. It is woken through the
     * signal rather than interrupted, because interrupting a virtual thread in socket I/O closes
     * the socket, and with it a pooled database connection.
     */
    @Override
    public void close() {
        running.set(false);
        if (Thread.currentThread() == thread) {
            return;
        }
        signal.signal();
        try {
            if (!thread.join(Duration.ofSeconds(5))) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
