package io.annals.store.subscription;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventBatchHandler;
import io.annals.store.EventStoreClosedException;
import io.annals.store.EventStoreUnavailableException;
import io.annals.store.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription. While behind, it reads the store on its own, in batches, from where its
 * cursor stands; once a read comes back short it joins the {@link LiveFeed} and takes new events
 * from there, until it is lapped and reads on its own again. Both ways move the same cursor,
 * which is why there is no gap or duplicate at either switch.
 */
final class FeedSubscription implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(FeedSubscription.class);

    private final Cursor cursor;
    private final SubscriptionReads reads;
    private final LiveFeed feed;
    private final int readLimit;
    private final int maxBatch;
    private final EventBatchHandler handler;
    private final Duration retryInterval;
    private final Consumer<FeedSubscription> onEnd;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Position position;
    private volatile boolean live;
    private volatile Throwable failure;
    /** Set when the stream this subscription follows was deleted: it reads the stream itself again. */
    private volatile boolean reread;
    /** The feed's number of the next event to take, or NOT_FOLLOWING while reading the store; this thread only. */
    private long next = LiveFeed.NOT_FOLLOWING;
    private boolean readFailing;

    FeedSubscription(String name, Cursor cursor, Position start, SubscriptionReads reads, LiveFeed feed,
                     int readBatch, int maxBatch, EventBatchHandler handler, Duration retryInterval,
                     Consumer<FeedSubscription> onEnd) {
        this.cursor = cursor;
        this.position = start;
        this.reads = reads;
        this.feed = feed;
        this.readLimit = Math.max(readBatch, maxBatch);
        this.maxBatch = maxBatch;
        this.handler = handler;
        this.retryInterval = retryInterval;
        this.onEnd = onEnd;
        this.thread = Thread.ofVirtual().name(name).unstarted(this::run);
    }

    void start() {
        feed.enter();
        thread.start();
    }

    private void run() {
        try {
            while (running.get() && feed.isOpen()) {
                if (next == LiveFeed.NOT_FOLLOWING) {
                    readStore();
                } else {
                    follow();
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
            feed.leave();
            onEnd.accept(this);
        }
    }

    private void readStore() throws Exception {
        long seen = feed.changes();
        long mark = feed.mark();
        List<RecordedEvent> batch;
        try {
            batch = cursor.read(reads, readLimit);
        } catch (EventStoreClosedException e) {
            running.set(false); // the store closed under the read: the subscription ends with it, which is no failure
            return;
        } catch (EventStoreUnavailableException e) {
            if (!readFailing) {
                log.warn("subscription {} cannot read, retrying from the same position: {}", thread.getName(),
                        e.getMessage());
                readFailing = true;
            }
            feed.awaitChange(seen, retryInterval, running::get);
            return;
        }
        if (readFailing) {
            log.info("subscription {} reads again", thread.getName());
            readFailing = false;
        }
        deliver(batch);
        if (batch.size() == readLimit) {
            long joinAt = feed.joinAfter(cursor.last());
            if (joinAt != LiveFeed.NOT_FOLLOWING) {
                next = joinAt;
                live = true;
            } else {
                // reading a long way behind never waits, and virtual threads are not preempted:
                // let the feed and the live subscriptions have the carrier between batches
                Thread.yield();
            }
            return;
        }
        if (feed.canJoin(mark)) {
            next = mark;
            live = true;
        } else if (mark == LiveFeed.NOT_FOLLOWING) {
            feed.awaitChange(seen, retryInterval, running::get);
        }
        // otherwise the window moved past the mark while this read ran: read again
    }

    private void follow() throws Exception {
        List<RecordedEvent> taken = feed.take(next, readLimit, () -> running.get() && !reread);
        if (taken == null || reread) {
            reread = false;
            next = LiveFeed.NOT_FOLLOWING;
            return;
        }
        next += taken.size();
        var wanted = new ArrayList<RecordedEvent>(taken.size());
        for (RecordedEvent event : taken) {
            if (cursor.advance(event)) {
                wanted.add(event);
            }
        }
        deliver(wanted);
    }

    private void deliver(List<RecordedEvent> events) throws Exception {
        for (int from = 0; from < events.size(); from += maxBatch) {
            if (!running.get()) {
                return;
            }
            int to = Math.min(events.size(), from + maxBatch);
            handler.handle(to - from == 1
                    ? List.of(events.get(from))
                    : Collections.unmodifiableList(events.subList(from, to)));
            position = events.get(to - 1).position();
        }
    }

    /**
     * A delete is no event, so the feed cannot tell: the subscriptions of the deleted stream go
     * back to reading it themselves, where a hard delete stops them with StreamDeletedException.
     */
    void streamDeleted(StreamId streamId) {
        if (cursor.follows(streamId)) {
            reread = true;
            feed.wakeAll();
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

    /** Stops delivery and waits for the subscription's thread to finish its handler call. */
    @Override
    public void close() {
        running.set(false);
        feed.wakeAll();
        Threads.awaitEnd(thread);
    }
}
