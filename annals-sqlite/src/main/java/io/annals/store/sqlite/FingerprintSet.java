package io.annals.store.sqlite;

import java.util.UUID;

/**
 * A set of 64-bit fingerprints of event ids, in one open-addressing array. A fingerprint that is
 * absent proves the id absent; one that is present only says "look it up" (two ids may share a
 * fingerprint), so the set never needs to be exact, only complete.
 */
final class FingerprintSet {

    private long[] slots;
    private int size;

    FingerprintSet(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new long[capacity];
    }

    static long fingerprint(UUID id) {
        long h = id.getMostSignificantBits() * 0x9E3779B97F4A7C15L ^ id.getLeastSignificantBits();
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    int size() {
        return size;
    }

    boolean mayContain(UUID id) {
        long fingerprint = fingerprint(id);
        int mask = slots.length - 1;
        for (int i = index(fingerprint, mask); ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == fingerprint) {
                return true;
            }
            if (slot == 0) {
                return false;
            }
        }
    }

    void add(UUID id) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        if (insert(slots, fingerprint(id))) {
            size++;
        }
    }

    private void grow() {
        long[] larger = new long[slots.length * 2];
        for (long slot : slots) {
            if (slot != 0) {
                insert(larger, slot);
            }
        }
        slots = larger;
    }

    private static boolean insert(long[] table, long fingerprint) {
        int mask = table.length - 1;
        for (int i = index(fingerprint, mask); ; i = (i + 1) & mask) {
            if (table[i] == fingerprint) {
                return false;
            }
            if (table[i] == 0) {
                table[i] = fingerprint;
                return true;
            }
        }
    }

    private static int index(long fingerprint, int mask) {
        return (int) (fingerprint ^ (fingerprint >>> 29)) & mask;
    }
}
