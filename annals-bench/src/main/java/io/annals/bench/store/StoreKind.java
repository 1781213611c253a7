package io.annals.bench.store;

/** Which Annals store the benchmark measures. */
public enum StoreKind {
    POSTGRES,
    SQLITE;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
