package io.annals.store.sqlite;

import io.annals.event.StreamId;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fingerprints of every event id of recently written streams, so that the writer can tell
 * in memory that an append's ids are new (the common case) and look ids up in the file only when
 * a fingerprint matches. Streams fall out least recently used first when the total passes the
 * budget; a stream that comes back is read again from the file. Used by the writer only.
 *
 * <p>The sets may hold fingerprints of ids that a rollback took back: that only costs a lookup,
 * while a missing fingerprint would let a duplicate through, so sets are only ever added to.
 */
final class KnownEventIds {

    /** About 32 MiB of fingerprints at most, unless one stream alone is larger. */
    static final long DEFAULT_BUDGET = 2_000_000;

    private final Map<StreamId, FingerprintSet> streams = new LinkedHashMap<>(1024, 0.75f, true);
    private final long budget;
    private long total;

    KnownEventIds(long budget) {
        this.budget = budget;
    }

    /** The stream's set, or null when it is not in memory. */
    FingerprintSet get(StreamId streamId) {
        return streams.get(streamId);
    }

    void put(StreamId streamId, FingerprintSet set) {
        FingerprintSet previous = streams.put(streamId, set);
        total += set.size() - (previous == null ? 0 : previous.size());
        evictBeyondBudget(streamId);
    }

    /** Records that {@code added} fingerprints were added to the set of {@code streamId}. */
    void grew(StreamId streamId, int added) {
        total += added;
        evictBeyondBudget(streamId);
    }

    long total() {
        return total;
    }

    void clear() {
        streams.clear();
        total = 0;
    }

    private void evictBeyondBudget(StreamId keep) {
        Iterator<Map.Entry<StreamId, FingerprintSet>> eldest = streams.entrySet().iterator();
        while (total > budget && eldest.hasNext()) {
            Map.Entry<StreamId, FingerprintSet> entry = eldest.next();
            if (!entry.getKey().equals(keep)) {
                total -= entry.getValue().size();
                eldest.remove();
            }
        }
    }
}
