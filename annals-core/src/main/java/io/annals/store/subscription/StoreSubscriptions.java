package io.annals.store.subscription;

import io.annals.event.Position;
import io.annals.event.StreamId;
import io.annals.store.EventBatchHandler;
import io.annals.store.EventFilter;
import io.annals.store.EventStoreClosedException;
import io.annals.store.EventSubscriptions;
import io.annals.store.Subscription;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions of one store (ADR 0004). They share one reader of new events, the feed: a
 * subscription that is behind reads the store on its own until it has caught up, then joins the
 * feed, which reads each committed range once for all of them. The store calls
 * {@link AppendSignal#signal()} after each commit; nothing else wakes the feed, and the feed is
 * the only one that waits for it.
 */
public final class StoreSubscriptions implements AutoCloseable {

    /** How many of the latest events the feed keeps for its subscribers, at least, unless told otherwise. */
    public static final int DEFAULT_WINDOW = 32768;

    private final String name;
    private final SubscriptionReads reads;
    private final int readBatch;
    private final Duration pollInterval;
    private final LiveFeed feed;
    private final Set<FeedSubscription> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param name         the prefix of the subscriptions' thread names
     * @param readBatch    how many events one read of the store asks for
     * @param pollInterval how long the feed waits at most for a signal before it reads again
     */
    public StoreSubscriptions(String name, SubscriptionReads reads, AppendSignal signal, int readBatch,
                              Duration pollInterval) {
        this(name, reads, signal, readBatch, pollInterval,
                Math.max(DEFAULT_WINDOW, Integer.highestOneBit(Math.max(1, 2 * readBatch - 1)) << 1));
    }

    /** @param window how many of the latest events the feed keeps: a power of two, at least twice {@code readBatch} */
    public StoreSubscriptions(String name, SubscriptionReads reads, AppendSignal signal, int readBatch,
                              Duration pollInterval, int window) {
        if (readBatch < 1 || readBatch > EventSubscriptions.MAX_BATCH) {
            throw new IllegalArgumentException("readBatch must be between 1 and " + EventSubscriptions.MAX_BATCH
                    + ", got " + readBatch);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.reads = Objects.requireNonNull(reads, "reads");
        this.readBatch = readBatch;
        this.pollInterval = pollInterval;
        this.feed = new LiveFeed(name + "-subscription-feed", reads, Objects.requireNonNull(signal, "signal"),
                readBatch, pollInterval, window);
    }

    /** See {@link EventSubscriptions#subscribeToAll(Position, EventFilter, int, EventBatchHandler)}. */
    public Subscription toAll(Position after, EventFilter filter, int maxBatch, EventBatchHandler handler) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(filter, "filter");
        return start(name + "-all-subscription", new Cursor.AllEvents(after, filter), after, maxBatch, handler);
    }

    /** See {@link EventSubscriptions#subscribeToStream(StreamId, long, int, EventBatchHandler)}. */
    public Subscription toStream(StreamId streamId, long afterVersion, int maxBatch, EventBatchHandler handler) {
        Objects.requireNonNull(streamId, "streamId");
        return start(name + "-stream-subscription-" + streamId, new Cursor.OneStream(streamId, afterVersion),
                Position.START, maxBatch, handler);
    }

    private Subscription start(String threadName, Cursor cursor, Position start, int maxBatch,
                               EventBatchHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (maxBatch < 1 || maxBatch > EventSubscriptions.MAX_BATCH) {
            throw new IllegalArgumentException("maxBatch must be between 1 and " + EventSubscriptions.MAX_BATCH
                    + ", got " + maxBatch);
        }
        if (closed) {
            throw new EventStoreClosedException("the store is closed");
        }
        var subscription = new FeedSubscription(threadName, cursor, start, reads, feed, readBatch, maxBatch, handler,
                pollInterval, open::remove);
        open.add(subscription);
        subscription.start();
        if (closed) { // closed meanwhile, perhaps before close() saw this one
            subscription.close();
            throw new EventStoreClosedException("the store is closed");
        }
        return subscription;
    }

    /** The store calls this after deleting a stream; subscriptions to that stream read it again. */
    public void streamDeleted(StreamId streamId) {
        open.forEach(subscription -> subscription.streamDeleted(streamId));
    }

    /** Closes every subscription, then the feed. */
    @Override
    public void close() {
        closed = true;
        open.forEach(Subscription::close);
        feed.close();
    }
}
