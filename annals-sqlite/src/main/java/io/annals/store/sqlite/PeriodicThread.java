package io.annals.store.sqlite;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A daemon thread that runs a round of housekeeping every interval, and a last one when closed. */
final class PeriodicThread implements AutoCloseable {

    private final Duration interval;
    private final Runnable round;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopping = lock.newCondition();
    private final Thread thread;
    private boolean running = true;

    PeriodicThread(String name, Duration interval, Runnable round) {
        this.interval = interval;
        this.round = round;
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    private void run() {
        while (awaitNextRound()) {
            round.run();
        }
        round.run();
    }

    private boolean awaitNextRound() {
        lock.lock();
        try {
            if (running) {
                stopping.await(interval.toNanos(), TimeUnit.NANOSECONDS);
            }
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread after its last round; waits for it. */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            stopping.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
