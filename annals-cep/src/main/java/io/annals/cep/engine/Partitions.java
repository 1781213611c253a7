package io.annals.cep.engine;

import java.util.HashMap;

/**
 * Keys with state, by key and by last activity. Events are processed in event-time order, so
 * moving a touched key to the newest end keeps the list sorted by last activity.
 */
final class Partitions<K, P extends Partition<K>> {

    private final HashMap<K, P> byKey = new HashMap<>();
    private Partition<K> oldest;
    private Partition<K> newest;
    long partialMatches;

    P get(K key) {
        return byKey.get(key);
    }

    int size() {
        return byKey.size();
    }

    void add(P partition, long time) {
        byKey.put(partition.key, partition);
        partition.lastActive = time;
        link(partition);
    }

    void touch(P partition, long time) {
        partition.lastActive = time;
        if (partition != newest) {
            unlink(partition);
            link(partition);
        }
    }

    void remove(P partition) {
        byKey.remove(partition.key);
        unlink(partition);
    }

    @SuppressWarnings("unchecked")
    P oldest() {
        return (P) oldest;
    }

    Iterable<P> inOrder() {
        return () -> new java.util.Iterator<P>() {
            Partition<K> next = oldest;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            @SuppressWarnings("unchecked")
            public P next() {
                var current = next;
                next = current.newer;
                return (P) current;
            }
        };
    }

    private void link(Partition<K> partition) {
        partition.older = newest;
        partition.newer = null;
        if (newest != null) {
            newest.newer = partition;
        } else {
            oldest = partition;
        }
        newest = partition;
    }

    private void unlink(Partition<K> partition) {
        if (partition.older != null) {
            partition.older.newer = partition.newer;
        } else {
            oldest = partition.newer;
        }
        if (partition.newer != null) {
            partition.newer.older = partition.older;
        } else {
            newest = partition.older;
        }
        partition.older = null;
        partition.newer = null;
    }
}
