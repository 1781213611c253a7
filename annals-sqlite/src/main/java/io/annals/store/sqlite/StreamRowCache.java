package io.annals.store.sqlite;

import io.annals.event.StreamId;

import java.util.HashMap;
import java.util.Map;

/**
 * The committed stream states the writer remembers, in two generations of plain hash maps: new
 * and used entries go to the young one; when it is full it becomes the old one and the old one
 * is dropped. Streams used within the last generation stay, as with a least-recently-used map,
 * without reordering a linked list on every lookup (which showed in the writer's profile).
 */
final class StreamRowCache {

    private final int generationSize;
    private Map<StreamId, StreamRow> young = new HashMap<>();
    private Map<StreamId, StreamRow> old = new HashMap<>();

    /** Holds at most {@code 2 * generationSize} streams. */
    StreamRowCache(int generationSize) {
        if (generationSize < 1) {
            throw new IllegalArgumentException("a generation holds at least one stream");
        }
        this.generationSize = generationSize;
    }

    /** The stream's state, or null when it is not remembered. */
    StreamRow get(StreamId streamId) {
        StreamRow row = young.get(streamId);
        if (row == null) {
            row = old.get(streamId);
            if (row != null) {
                put(streamId, row);
            }
        }
        return row;
    }

    void put(StreamId streamId, StreamRow row) {
        young.put(streamId, row);
        if (young.size() >= generationSize) {
            old = young;
            young = new HashMap<>();
        }
    }

    void clear() {
        young.clear();
        old.clear();
    }
}
