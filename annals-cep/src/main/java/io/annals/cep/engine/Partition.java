package io.annals.cep.engine;

/** A key's state, linked in the order of last activity so that idle keys are found without a scan. */
abstract class Partition<K> {

    final K key;
    long lastActive;
    Partition<K> older;
    Partition<K> newer;

    Partition(K key) {
        this.key = key;
    }

    /** Partial matches held. */
    abstract int size();
}
