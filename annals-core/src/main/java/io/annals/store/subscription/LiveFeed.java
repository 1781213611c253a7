package io.annals.store.subscription;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.store.EventFilter;
import io.annals.store.EventStoreClosedException;
import io.annals.store.EventStoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of new events that all subscriptions of a store share. It follows the end of
 * the global order, reads each committed range once, and keeps the latest events in a window
 * of fixed size, numbered in the order it read them, from which every caught-up subscription
 * takes what it has not seen yet.
 *
 * <p>Nothing here waits for a subscription. One that falls a whole window behind finds its next
 * number overwritten (it was lapped) and reads the store on its own until it has caught up
 * again; so a slow subscriber holds no one up, and the memory is the window, however many
 * subscribers there are and however far behind they fall.
 *
 * <p>This is also the only place that waits for new events: on the store's {@link AppendSignal}
 * (a commit, or a notification from another process), for at most the poll interval, which
 * bounds the delay a lost wake-up can cause. The feed reads only while subscriptions are open.
 */
final class LiveFeed implements AutoCloseable {

    /** What {@link #mark()} returns while the feed is not following the store. */
    static final long NOT_FOLLOWING = -1;

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(1);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(100);

    /** One place of the window: the event and the number it was published under. */
    private record Slot(long number, RecordedEvent event) {
    }

    private final String name;
    private final SubscriptionReads reads;
    private final AppendSignal signal;
    private final int readBatch;
    private final Duration pollInterval;
    private final AtomicReferenceArray<Slot> window;
    private final int mask;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when events are published, the feed starts or stops following, or is closed. */
    private final Condition changed = lock.newCondition();
    /** How many events were ever published: the number the next one gets. Written under the lock. */
    private volatile long published;
    /** Written under the lock. */
    private volatile boolean following;
    /** The number of the first event published since the feed last started following; written under the lock. */
    private volatile long followingSince;
    /** Counts publications and starts and stops of following; written under the lock. */
    private volatile long changes;
    private volatile boolean open = true;
    private int users;
    private Thread thread;
    /** The last event read; touched only by the feed's thread. */
    private Position position = Position.START;

    /**
     * @param windowSize how many of the latest events are kept; a power of two, at least twice {@code readBatch}
     */
    LiveFeed(String name, SubscriptionReads reads, AppendSignal signal, int readBatch, Duration pollInterval,
             int windowSize) {
        if (Integer.bitCount(windowSize) != 1 || windowSize < 2 * readBatch) {
            throw new IllegalArgumentException("the window must be a power of two of at least twice the read batch ("
                    + readBatch + "), got " + windowSize);
        }
        this.name = name;
        this.reads = reads;
        this.signal = signal;
        this.readBatch = readBatch;
        this.pollInterval = pollInterval;
        this.window = new AtomicReferenceArray<>(windowSize);
        this.mask = windowSize - 1;
    }

    /** A subscription opens: the feed follows the store while there is at least one. */
    void enter() {
        lock.lock();
        try {
            users++;
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name(name).start(this::run);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void leave() {
        lock.lock();
        try {
            users--;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where a subscription about to read the store by itself may join the feed: the number of the
     * next event the feed will publish, or {@link #NOT_FOLLOWING}. Everything published before the
     * mark is visible to that read (visibility only grows), so when the read comes back short the
     * subscription has seen all it wants up to the mark and takes the rest from the window
     * ({@link #canJoin}).
     */
    long mark() {
        lock.lock();
        try {
            return following ? published : NOT_FOLLOWING;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the window still holds every event from {@code mark} on. */
    boolean canJoin(long mark) {
        return mark != NOT_FOLLOWING && mark >= published - window.length();
    }

    /**
     * Where a subscription whose own read of the store got as far as {@code last} takes the rest
     * from the window, or {@link #NOT_FOLLOWING} when the window does not reach back that far. The
     * window holds an unbroken run of the global order, so when its oldest event is at or before
     * {@code last}, every event after {@code last} is in the window or still to come; the
     * subscription joins after the newest event at or before {@code last}, and its cursor skips
     * any event it has already seen. This is how one that is behind, or was lapped, gets back
     * while events keep coming faster than a read of the store comes back short.
     */
    long joinAfter(Position last) {
        long end = published;
        long oldest = Math.max(end - window.length(), followingSince);
        if (!following || oldest >= end) {
            return NOT_FOLLOWING;
        }
        Position oldestPosition = positionOf(oldest);
        if (oldestPosition == null || oldestPosition.isAfter(last)) {
            return NOT_FOLLOWING;
        }
        // the newest number whose event is at or before last: positions rise with the numbers
        long atOrBefore = oldest;
        long after = end;
        while (after - atOrBefore > 1) {
            long middle = (atOrBefore + after) >>> 1;
            Position position = positionOf(middle);
            if (position == null) {
                return NOT_FOLLOWING;
            }
            if (position.isAfter(last)) {
                after = middle;
            } else {
                atOrBefore = middle;
            }
        }
        // the oldest slot may have been overwritten while searching: then the window moved past last
        return positionOf(oldest) == null ? NOT_FOLLOWING : atOrBefore + 1;
    }

    /** The position of the event numbered {@code number}, or null when the window no longer holds it. */
    private Position positionOf(long number) {
        Slot slot = window.get((int) (number & mask));
        return slot == null || slot.number() != number ? null : slot.event().position();
    }

    /**
     * The events numbered from {@code next} on, at most {@code max}, waiting until there is one;
     * empty when {@code wanted} turned false (or the feed closed) meanwhile; null when the window
     * no longer holds {@code next}: the caller was lapped and must read the store itself.
     */
    List<RecordedEvent> take(long next, int max, BooleanSupplier wanted) throws InterruptedException {
        long end = published;
        if (end == next) {
            lock.lock();
            try {
                while ((end = published) == next && open && wanted.getAsBoolean()) {
                    changed.await();
                }
            } finally {
                lock.unlock();
            }
            if (end == next) {
                return List.of();
            }
        }
        int count = (int) Math.min(max, end - next);
        var events = new ArrayList<RecordedEvent>(count);
        for (long number = next; number < next + count; number++) {
            Slot slot = window.get((int) (number & mask));
            if (slot == null || slot.number() != number) {
                return null;
            }
            events.add(slot.event());
        }
        return events;
    }

    /** A count that moves whenever the feed publishes, or starts or stops following; for {@link #awaitChange}. */
    long changes() {
        return changes;
    }

    /**
     * Waits until {@link #changes()} moves past {@code seen}, {@code wanted} turns false, or the
     * timeout passes: for a subscription that could neither read nor join when it took {@code seen}.
     */
    void awaitChange(long seen, Duration timeout, BooleanSupplier wanted) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (changes == seen && open && wanted.getAsBoolean() && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** False once closed: a subscription still running then ends. */
    boolean isOpen() {
        return open;
    }

    /** Wakes every subscription waiting here, so that one being closed notices. */
    void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        Duration pause = FIRST_PAUSE;
        boolean failing = false;
        try {
            while (awaitUsers()) {
                long seen = signal.generation();
                try {
                    if (!following) {
                        position = reads.lastPosition();
                        startFollowing();
                    }
                    List<RecordedEvent> page = reads.readAll(position, readBatch, EventFilter.ALL);
                    if (failing) {
                        log.info("{} reads again", name);
                        failing = false;
                    }
                    if (!page.isEmpty()) {
                        publish(page);
                        position = page.getLast().position();
                    }
                    if (page.size() < readBatch) {
                        boolean heldBack = reads.heldBackAfter(position);
                        signal.awaitChange(seen, heldBack ? pause : pollInterval);
                        pause = heldBack && signal.generation() == seen ? longer(pause) : FIRST_PAUSE;
                    }
                } catch (EventStoreClosedException e) {
                    return; // the store closes, and its subscriptions with it
                } catch (EventStoreUnavailableException e) {
                    if (!failing) {
                        log.warn("{} cannot read, retrying from the same position: {}", name, e.getMessage());
                        failing = true;
                    }
                    signal.awaitChange(seen, pollInterval);
                } catch (RuntimeException e) {
                    // subscriptions go back to their own reads, where the failure, if it lasts, stops them
                    log.warn("{} stopped following the store: {}", name, e.toString());
                    stopFollowing();
                    signal.awaitChange(seen, pollInterval);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopFollowing();
        }
    }

    /** Waits while no subscription is open, not following meanwhile; false once the feed is closed. */
    private boolean awaitUsers() throws InterruptedException {
        lock.lock();
        try {
            if (users == 0) {
                stopFollowing();
                while (users == 0 && open) {
                    changed.await();
                }
            }
            return open;
        } finally {
            lock.unlock();
        }
    }

    private void publish(List<RecordedEvent> page) {
        long number = published;
        for (RecordedEvent event : page) {
            window.set((int) (number & mask), new Slot(number, event));
            number++;
        }
        lock.lock();
        try {
            published = number;
            changes++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void startFollowing() {
        lock.lock();
        try {
            following = true;
            followingSince = published;
            changes++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The window is given up: its numbering jumps a whole window ahead, so that every reader in it
     * finds itself lapped and every mark taken so far is too old to join at.
     */
    private void stopFollowing() {
        lock.lock();
        try {
            if (!following) {
                return;
            }
            following = false;
            published += window.length() + 1;
            for (int i = 0; i < window.length(); i++) {
                window.set(i, null);
            }
            changes++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static Duration longer(Duration pause) {
        Duration doubled = pause.multipliedBy(2);
        return doubled.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : doubled;
    }

    /**
     * Stops the reader and waits for it. It is woken through the signal rather than interrupted,
     * because interrupting a virtual thread in socket I/O closes the socket, and with it a pooled
     * database connection.
     */
    @Override
    public void close() {
        Thread reader;
        lock.lock();
        try {
            open = false;
            reader = thread;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        signal.signal();
        if (reader != null) {
            Threads.awaitEnd(reader);
        }
    }
}
