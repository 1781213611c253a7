package io.annals.store.subscription;

import io.annals.event.Position;
import io.annals.event.RecordedEvent;
import io.annals.event.StreamId;
import io.annals.store.EventFilter;
import java.util.List;

/** What one subscription wants and how far it has got, whether it reads the store or takes from the feed. */
sealed interface Cursor {

    /** The next events from the store itself, at most {@code limit}; moves past them. */
    List<RecordedEvent> read(SubscriptionReads reads, int limit);

    /** For an event from the feed: whether it is one this subscription still wants; moves past it. */
    boolean advance(RecordedEvent event);

    /**
     * The global position up to which this cursor has every event it wants: the last event it
     * moved past, or where it started ({@link Position#START} for a stream cursor that has seen none).
     */
    Position last();

    /** Whether this cursor reads the one stream {@code streamId}. */
    boolean follows(StreamId streamId);

    /** Every event after a position that matches a filter. */
    final class AllEvents implements Cursor {
        private final EventFilter filter;
        private Position after;

        AllEvents(Position after, EventFilter filter) {
            this.after = after;
            this.filter = filter;
        }

        @Override
        public List<RecordedEvent> read(SubscriptionReads reads, int limit) {
            List<RecordedEvent> batch = reads.readAll(after, limit, filter);
            if (!batch.isEmpty()) {
                after = batch.getLast().position();
            }
            return batch;
        }

        @Override
        public boolean advance(RecordedEvent event) {
            if (!event.position().isAfter(after)) {
                return false;
            }
            after = event.position();
            return filter.matches(event);
        }

        @Override
        public Position last() {
            return after;
        }

        @Override
        public boolean follows(StreamId streamId) {
            return false;
        }
    }

    /** The events of one stream above a version; versions rise in the global order too. */
    final class OneStream implements Cursor {
        private final StreamId streamId;
        private long lastVersion;
        private Position last = Position.START;

        OneStream(StreamId streamId, long afterVersion) {
            this.streamId = streamId;
            this.lastVersion = afterVersion;
        }

        @Override
        public List<RecordedEvent> read(SubscriptionReads reads, int limit) {
            List<RecordedEvent> batch = reads.readStream(streamId, lastVersion + 1, limit);
            if (!batch.isEmpty()) {
                lastVersion = batch.getLast().version();
                last = batch.getLast().position();
            }
            return batch;
        }

        @Override
        public boolean advance(RecordedEvent event) {
            if (event.version() <= lastVersion || !event.streamId().equals(streamId)) {
                return false;
            }
            lastVersion = event.version();
            last = event.position();
            return true;
        }

        @Override
        public Position last() {
            return last;
        }

        @Override
        public boolean follows(StreamId streamId) {
            return this.streamId.equals(streamId);
        }
    }
}
