package io.annals.store.subscription;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes subscriptions when something was appended. A store calls {@link #signal()} after each
 * commit (or when a database notification arrives); subscribers take a {@link #generation()}
 * before they read and {@link #awaitChange(long, Duration)} after a short read, so no wake-up
 * between the two can be missed. The signal only ever says "look again": readers always read the
 * store itself, so a lost or spurious signal costs latency, never correctness.
 */
public final class AppendSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;

    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    public void signal() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the generation moves past {@code seen} or the timeout passes. */
    public void awaitChange(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (generation == seen && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    public void awaitChange(long seen, long timeout, TimeUnit unit) throws InterruptedException {
        awaitChange(seen, Duration.ofNanos(unit.toNanos(timeout)));
    }
}
