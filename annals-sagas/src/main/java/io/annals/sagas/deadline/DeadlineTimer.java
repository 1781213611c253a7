package io.annals.sagas.deadline;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.EventStore;
import io.annals.store.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the deadlines recorded in the streams under a prefix when they are due. The pending
 * ones are read from the store when it starts (so a deadline that fell due while the process
 * was down fires as soon as it is back) and followed live. One thread waits for the earliest
 * due time and nothing else: no polling, however many deadlines are pending.
 *
 * <p>The owner records the firing ({@value Deadline#FIRED}) in its own stream; it must check
 * there that the deadline is still pending, which makes a deadline fire once even when two
 * timers or a restart hand it over twice.
 */
public final class DeadlineTimer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineTimer.class);
    private static final int PAGE = 1_000;
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

    /** A deadline that is due, and the stream that owns it. */
    public record Due(StreamId owner, Deadline deadline) {
    }

    private record Entry(Instant dueAt, Due due) {
    }

    private final EventStore store;
    private final EventFilter filter;
    private final Clock clock;
    private final Consumer<Due> onDue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(Comparator.comparing(Entry::dueAt));
    private final Map<java.util.UUID, Entry> pending = new HashMap<>();
    private boolean closed;
    private Subscription subscription;
    private Thread waiter;

    /**
     * @param onDue called on the timer's thread for each due deadline; an exception hands the
     *              deadline over again a second later
     */
    public DeadlineTimer(EventStore store, String streamPrefix, Clock clock, Consumer<Due> onDue) {
        this.store = Objects.requireNonNull(store, "store");
        this.filter = new EventFilter(Set.of(Deadline.SCHEDULED, Deadline.CANCELLED, Deadline.FIRED), streamPrefix);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onDue = Objects.requireNonNull(onDue, "onDue");
    }

    /** Reads the pending deadlines, then follows new ones and fires each when it is due. */
    public DeadlineTimer start() {
        Position after = Position.START;
        List<RecordedEvent> page;
        while (!(page = store.readAll(after, PAGE, filter)).isEmpty()) {
            page.forEach(this::apply);
            after = page.getLast().position();
        }
        subscription = store.subscribeToAll(after, filter, PAGE, events -> events.forEach(this::apply));
        waiter = Thread.ofVirtual().name("deadline-timer").start(this::fireWhenDue);
        return this;
    }

    /** Deadlines scheduled and neither fired nor cancelled, as far as this timer has read. */
    public int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    private void apply(RecordedEvent event) {
        lock.lock();
        try {
            switch (event.type()) {
                case Deadline.SCHEDULED -> {
                    Deadline deadline = Deadline.fromScheduled(event.data());
                    var entry = new Entry(deadline.dueAt(), new Due(event.streamId(), deadline));
                    pending.put(deadline.deadlineId(), entry);
                    queue.add(entry);
                }
                case Deadline.CANCELLED, Deadline.FIRED -> pending.remove(Deadline.refOf(event.data()).deadlineId());
                default -> throw new IllegalStateException("unexpected event type " + event.type());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void fireWhenDue() {
        while (true) {
            Due due;
            lock.lock();
            try {
                due = null;
                while (due == null) {
                    if (closed) {
                        return;
                    }
                    Entry first = queue.peek();
                    if (first != null && pending.get(first.due().deadline().deadlineId()) != first) {
                        queue.poll(); // cancelled, fired or rescheduled: dropped lazily
                        continue;
                    }
                    if (first == null) {
                        changed.await();
                        continue;
                    }
                    long waitNanos = Duration.between(clock.instant(), first.dueAt()).toNanos();
                    if (waitNanos > 0) {
                        changed.awaitNanos(waitNanos);
                        continue;
                    }
                    queue.poll();
                    due = first.due();
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                onDue.accept(due);
            } catch (RuntimeException e) {
                LOG.warn("deadline {} of {} could not fire: {}; trying again in {}", due.deadline().name(), due.owner(),
                        e.toString(), AFTER_FAILURE);
                retryLater(due);
            }
        }
    }

    /**
     * Hands a due deadline over again a second from now, unless it fires or is cancelled
     * meanwhile: for an owner that may not fire it at the moment (another process holds the work
     * of the streams, and fires it; this timer hears of that and drops it).
     */
    public void later(Due due) {
        retryLater(due);
    }

    private void retryLater(Due due) {
        lock.lock();
        try {
            var entry = new Entry(clock.instant().plus(AFTER_FAILURE), due);
            if (pending.replace(due.deadline().deadlineId(), entry) != null) {
                queue.add(entry);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (subscription != null) {
            subscription.close();
        }
        if (waiter != null) {
            waiter.interrupt();
        }
    }
}
