package io.annals.store.sqlite;

import io.annals.event.StreamId;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Reuses {@link StreamId} instances for ids read back from the file, which were validated when
 * written, so that reading many events of few streams does not validate the same id again and again.
 */
final class StreamIds {

    private static final int MAX_ENTRIES = 65_536;

    private final ConcurrentHashMap<String, StreamId> known = new ConcurrentHashMap<>();

    StreamId of(String value) {
        StreamId id = known.get(value);
        if (id != null) {
            return id;
        }
        if (known.size() >= MAX_ENTRIES) {
            known.clear(); // a crude bound; the cache only saves work, it is never needed for correctness
        }
        id = StreamId.of(value);
        known.put(value, id);
        return id;
    }
}
