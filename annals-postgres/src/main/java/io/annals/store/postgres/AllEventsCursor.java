package io.annals.store.postgres;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.store.AllEventsReader;
import io.annals.store.EventFilter;
import io.annals.store.subscription.AppendSignal;
import io.annals.store.subscription.EventCursor;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The cursor of a subscription to all events. When a read finds nothing although events are
 * known to be committed beyond it, they are held back by an older open transaction that may
 * never send a notification (a rollback, a snapshot save, another application's write); the
 * cursor then reads again after short, growing pauses (up to 100 ms) until they show, so live
 * latency stays in milliseconds rather than a poll interval. Any signal (a new append, or the
 * subscription closing) hands control back to the subscription's loop.
 */
final class AllEventsCursor implements EventCursor {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(1);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(100);

    private final AllEventsReader reader;
    private final EventReads reads;
    private final EventFilter filter;
    private final CommitWatermark watermark;
    private final AppendSignal signal;
    private Position position;

    AllEventsCursor(AllEventsReader reader, EventReads reads, Position after, EventFilter filter,
                    CommitWatermark watermark, AppendSignal signal) {
        this.reader = reader;
        this.reads = reads;
        this.position = after;
        this.filter = filter;
        this.watermark = watermark;
        this.signal = signal;
    }

    @Override
    public List<RecordedEvent> next(int limit) {
        Duration pause = FIRST_PAUSE;
        while (true) {
            long generation = signal.generation();
            List<RecordedEvent> batch = reader.readAll(position, limit, filter);
            if (!batch.isEmpty()) {
                position = batch.getLast().position();
                return batch;
            }
            if (!heldBack()) {
                return batch;
            }
            try {
                signal.awaitChange(generation, pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return batch;
            }
            if (signal.generation() != generation) {
                return batch;
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    private boolean heldBack() {
        long committed = watermark.get();
        if (committed <= position.transaction()) {
            return false;
        }
        try {
            return reads.horizon() <= committed;
        } catch (SQLException e) {
            return false;
        }
    }
}
