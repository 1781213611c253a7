package io.annals.cep.engine;

/**
 * Keys' state by key: open addressing with linear probing, the state objects themselves in the
 * table. A lookup reads the table slot and the state it finds, where a {@link java.util.HashMap}
 * also reads an entry node in between: with a hundred thousand keys every read is a cache miss.
 */
final class KeyTable<K, P extends Partition<K>> {

    private Partition<?>[] table = new Partition<?>[16];
    private int size;

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    P get(K key) {
        int hash = hash(key);
        int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            Partition<?> found = table[slot];
            if (found == null) {
                return null;
            }
            if (found.hash == hash && (found.key == key || java.util.Objects.equals(found.key, key))) {
                return (P) found;
            }
        }
    }

    /** Adds a state whose key is not in the table. */
    void add(P partition) {
        partition.hash = hash(partition.key);
        if (2 * (size + 1) > table.length) {
            resize();
        }
        insert(table, partition);
        size++;
    }

    void remove(P partition) {
        int mask = table.length - 1;
        int slot = partition.hash & mask;
        while (table[slot] != partition) {
            if (table[slot] == null) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        table[slot] = null;
        size--;
        // shift later entries of the probe run back so that no lookup stops early at the hole
        int hole = slot;
        for (int next = (hole + 1) & mask; table[next] != null; next = (next + 1) & mask) {
            int home = table[next].hash & mask;
            boolean movable = hole <= next ? home <= hole || home > next : home <= hole && home > next;
            if (movable) {
                table[hole] = table[next];
                table[next] = null;
                hole = next;
            }
        }
    }

    private void resize() {
        var larger = new Partition<?>[table.length * 2];
        for (Partition<?> partition : table) {
            if (partition != null) {
                insert(larger, partition);
            }
        }
        table = larger;
    }

    private static void insert(Partition<?>[] into, Partition<?> partition) {
        int mask = into.length - 1;
        int slot = partition.hash & mask;
        while (into[slot] != null) {
            slot = (slot + 1) & mask;
        }
        into[slot] = partition;
    }

    private static int hash(Object key) {
        int h = key == null ? 0 : key.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
