package io.annals.store.postgres;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import io.annals.store.StreamReader;
import io.annals.store.subscription.SubscriptionReads;
import java.sql.SQLException;
import java.util.List;

/**
 * What the store's subscriptions read. Reads of all events never wait for the horizon here (the
 * store's own {@code readAll} may, for read-your-writes): the subscriptions' shared reader waits
 * in its own place, and asks {@link #heldBackAfter} how soon to look again.
 */
final class PostgresSubscriptionReads implements SubscriptionReads {

    private final EventReads reads;
    private final StreamReader streams;
    private final CommitWatermark watermark;

    PostgresSubscriptionReads(EventReads reads, StreamReader streams, CommitWatermark watermark) {
        this.reads = reads;
        this.streams = streams;
        this.watermark = watermark;
    }

    @Override
    public List<RecordedEvent> readAll(Position after, int limit, EventFilter filter) {
        try {
            return reads.readAll(after, limit, filter);
        } catch (SQLException e) {
            throw SqlFailures.unavailable("read of all events failed", e);
        }
    }

    @Override
    public List<RecordedEvent> readStream(StreamId streamId, long fromVersion, int limit) {
        return streams.readStreamForward(streamId, fromVersion, limit);
    }

    @Override
    public Position lastPosition() {
        try {
            return reads.lastPosition();
        } catch (SQLException e) {
            throw SqlFailures.unavailable("the last position could not be read", e);
        }
    }

    /**
     * Events this process knows to be committed (its own appends, or other processes' announced
     * by NOTIFY) beyond {@code position} but below the horizon are held back by an older open
     * transaction, which may never send a notification (a rollback, a snapshot save, another
     * application's write).
     */
    @Override
    public boolean heldBackAfter(Position position) {
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
