package io.annals.cep.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Keys with state, by key and by last activity. Events are matched in event-time order, so an
 * append-only log of (key, time) touches is sorted by time; an entry is current while its key
 * has not been touched again or removed, and stale entries are skipped when they reach the head.
 * This finds the least recently active key without relinking a list on every event, which
 * would touch two more keys' memory each time.
 */
final class Partitions<K, P extends Partition<K>> {

    private final KeyTable<K, P> byKey = new KeyTable<>();
    private Object[] logged = new Object[1024];
    private long[] loggedAt = new long[1024];
    private int head;
    private int count;
    long partialMatches;

    P get(K key) {
        return byKey.get(key);
    }

    int size() {
        return byKey.size();
    }

    void add(P partition, long time) {
        byKey.add(partition);
        partition.lastActive = time;
        log(partition, time);
    }

    void touch(P partition, long time) {
        if (partition.lastActive != time) {
            partition.lastActive = time;
            log(partition, time);
        }
    }

    void remove(P partition) {
        byKey.remove(partition);
        partition.removed = true;
    }

    /** The least recently active key, or null. */
    @SuppressWarnings("unchecked")
    P oldest() {
        while (count > 0) {
            var partition = (P) logged[head];
            if (!partition.removed && partition.lastActive == loggedAt[head]) {
                return partition;
            }
            logged[head] = null;
            head = (head + 1) & (logged.length - 1);
            count--;
        }
        return null;
    }

    /**
     * Removes every key last active before {@code limit}, oldest first, handing each to
     * {@code expired} before it goes. Reads only the log until an entry is old enough.
     */
    @SuppressWarnings("unchecked")
    void expireBefore(long limit, java.util.function.Consumer<P> expired) {
        while (count > 0 && loggedAt[head] < limit) {
            var partition = (P) logged[head];
            if (!partition.removed && partition.lastActive == loggedAt[head]) {
                expired.accept(partition);
                remove(partition);
            }
            logged[head] = null;
            head = (head + 1) & (logged.length - 1);
            count--;
        }
    }

    /** Every key, least recently active first. */
    @SuppressWarnings("unchecked")
    List<P> inOrder() {
        var keys = new ArrayList<P>(byKey.size());
        for (int i = 0; i < count; i++) {
            int slot = (head + i) & (logged.length - 1);
            var partition = (P) logged[slot];
            if (!partition.removed && partition.lastActive == loggedAt[slot]) {
                keys.add(partition);
            }
        }
        return keys;
    }

    private void log(Partition<K> partition, long time) {
        if (count == logged.length) {
            compact();
            if (count > logged.length / 2) {
                grow();
            }
        }
        int slot = (head + count) & (logged.length - 1);
        logged[slot] = partition;
        loggedAt[slot] = time;
        count++;
    }

    /** Drops stale entries, for patterns whose keys never expire. */
    private void compact() {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int slot = (head + i) & (logged.length - 1);
            var partition = (Partition<?>) logged[slot];
            if (!partition.removed && partition.lastActive == loggedAt[slot]) {
                int to = (head + kept) & (logged.length - 1);
                logged[to] = partition;
                loggedAt[to] = loggedAt[slot];
                kept++;
            }
        }
        for (int i = kept; i < count; i++) {
            logged[(head + i) & (logged.length - 1)] = null;
        }
        count = kept;
    }

    private void grow() {
        var newLogged = new Object[logged.length * 2];
        var newLoggedAt = new long[logged.length * 2];
        for (int i = 0; i < count; i++) {
            int slot = (head + i) & (logged.length - 1);
            newLogged[i] = logged[slot];
            newLoggedAt[i] = loggedAt[slot];
        }
        logged = newLogged;
        loggedAt = newLoggedAt;
        head = 0;
    }
}
