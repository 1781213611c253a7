package io.annals.projection;

import java.util.concurrent.atomic.AtomicLongArray;

/** Events per second over the last few seconds, from per-second buckets. */
final class EventRate {

    private static final int SECONDS = 10;

    private final AtomicLongArray counts = new AtomicLongArray(SECONDS);
    private final AtomicLongArray seconds = new AtomicLongArray(SECONDS);

    void record(long events, long nowMillis) {
        long second = nowMillis / 1000;
        int slot = (int) (second % SECONDS);
        if (seconds.getAndSet(slot, second) != second) {
            counts.set(slot, 0);
        }
        counts.addAndGet(slot, events);
    }

    /** The rate over the complete seconds of the window. */
    double perSecond(long nowMillis) {
        long current = nowMillis / 1000;
        long total = 0;
        for (int slot = 0; slot < SECONDS; slot++) {
            long second = seconds.get(slot);
            if (second < current && second >= current - (SECONDS - 1)) {
                total += counts.get(slot);
            }
        }
        return total / (double) (SECONDS - 1);
    }
}
