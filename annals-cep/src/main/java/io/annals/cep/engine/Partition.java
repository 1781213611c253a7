package io.annals.cep.engine;

/** A key's state. */
abstract class Partition<K> {

    final K key;
    long lastActive;
    boolean removed;
    int hash;

    Partition(K key) {
        this.key = key;
    }

    /** Partial matches held. */
    abstract int size();
}
