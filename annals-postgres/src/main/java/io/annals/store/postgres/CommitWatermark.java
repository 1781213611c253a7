package io.annals.store.postgres;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest transaction stamp of events known to be committed, from this process's appends
 * and from other processes' notifications. When it is at or above the read horizon, committed
 * events are waiting behind an older open transaction, and a live reader should look again soon
 * rather than wait for the next notification (the transaction it waits for may never notify).
 */
final class CommitWatermark {

    private final AtomicLong stamp = new AtomicLong();

    /** True when {@code committedStamp} raised the watermark. */
    boolean advance(long committedStamp) {
        return stamp.getAndAccumulate(committedStamp, Math::max) < committedStamp;
    }

    long get() {
        return stamp.get();
    }
}
