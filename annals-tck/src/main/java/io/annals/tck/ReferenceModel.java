package io.annals.tck;

import io.annals.event.StreamId;
import io.annals.store.DeleteMode;
import io.annals.store.ExpectedVersion;
import io.annals.store.StreamState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a store must answer to appends and deletes, worked out in the plainest way, with lists and
 * maps and no store's code: the oracle of the model-based test. Positions are ranks in the global
 * order (0 for the first event), since each store gives positions of its own.
 */
final class ReferenceModel {

    static final String STREAM_DELETED = "stream-deleted";
    static final String DUPLICATE_EVENT = "duplicate-event";
    static final String DELETED = "deleted";

    /** One event of the global order. */
    record Entry(StreamId stream, long version, UUID eventId) {
    }

    private static final class Stream {
        final List<UUID> ids = new ArrayList<>();
        final List<Integer> ranks = new ArrayList<>();
        long deletedThrough = -1;
        boolean tombstoned;

        long visibleVersion() {
            long last = ids.size() - 1L;
            return last > deletedThrough ? last : -1;
        }
    }

    private final List<Entry> log = new ArrayList<>();
    private final Map<StreamId, Stream> streams = new HashMap<>();

    /** An append that wrote its events, or found them written by the same append before. */
    record Appended(long nextExpectedVersion, int rank) {
    }

    static String wrongExpectedVersion(long actual) {
        return "wrong-expected-version, actual " + actual;
    }

    /**
     * A hard-deleted stream refuses everything. Ids seen before in the stream make a retry when
     * they are the same ids in the same order at the versions they were written at (answered with
     * that append's result, whatever the expected version), and a duplicate otherwise. New ids
     * are appended when the expected version holds against the last visible version, and continue
     * the stream's versions, soft-deleted ones counted.
     *
     * @return {@link Appended}, or the kind of refusal
     */
    Object append(StreamId id, ExpectedVersion expected, List<UUID> events) {
        Stream stream = streams.computeIfAbsent(id, key -> new Stream());
        if (stream.tombstoned) {
            return STREAM_DELETED;
        }
        int first = stream.ids.indexOf(events.getFirst());
        if (first >= 0) {
            for (int i = 0; i < events.size(); i++) {
                if (first + i >= stream.ids.size() || !stream.ids.get(first + i).equals(events.get(i))) {
                    return DUPLICATE_EVENT;
                }
            }
            int last = first + events.size() - 1;
            return new Appended(last, stream.ranks.get(last));
        }
        if (events.stream().anyMatch(stream.ids::contains)) {
            return DUPLICATE_EVENT;
        }
        long visible = stream.visibleVersion();
        if (!holds(expected, visible)) {
            return wrongExpectedVersion(visible);
        }
        for (UUID event : events) {
            stream.ranks.add(log.size());
            log.add(new Entry(id, stream.ids.size(), event));
            stream.ids.add(event);
        }
        return new Appended(stream.ids.size() - 1L, stream.ranks.getLast());
    }

    /** A soft delete hides the versions written so far; a hard delete refuses the stream for ever. */
    String delete(StreamId id, ExpectedVersion expected, DeleteMode mode) {
        Stream stream = streams.computeIfAbsent(id, key -> new Stream());
        if (stream.tombstoned) {
            return STREAM_DELETED;
        }
        long visible = stream.visibleVersion();
        if (!holds(expected, visible)) {
            return wrongExpectedVersion(visible);
        }
        switch (mode) {
            case SOFT -> stream.deletedThrough = stream.ids.size() - 1L;
            case HARD -> stream.tombstoned = true;
        }
        return DELETED;
    }

    StreamState state(StreamId id) {
        Stream stream = streams.get(id);
        if (stream == null) {
            return StreamState.absent();
        }
        if (stream.tombstoned) {
            return StreamState.tombstoned();
        }
        long visible = stream.visibleVersion();
        return visible < 0 ? StreamState.absent() : StreamState.active(visible);
    }

    /** The stream's visible events forward, or {@link #STREAM_DELETED}. */
    Object read(StreamId id) {
        Stream stream = streams.get(id);
        if (stream == null) {
            return List.of();
        }
        if (stream.tombstoned) {
            return STREAM_DELETED;
        }
        var visible = new ArrayList<Entry>();
        for (int version = (int) stream.deletedThrough + 1; version < stream.ids.size(); version++) {
            visible.add(log.get(stream.ranks.get(version)));
        }
        return visible;
    }

    /** Every event in the global order; deletes leave events in it. */
    List<Entry> log() {
        return List.copyOf(log);
    }

    private static boolean holds(ExpectedVersion expected, long visible) {
        return switch (expected) {
            case ExpectedVersion.Any any -> true;
            case ExpectedVersion.NoStream noStream -> visible == -1;
            case ExpectedVersion.StreamExists exists -> visible >= 0;
            case ExpectedVersion.Exact(long version) -> visible == version;
        };
    }
}
