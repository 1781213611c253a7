package io.annals.bench.store;

import io.annals.bench.db.BenchDatabase;
import io.annals.bench.db.PostgresBenchDatabase;
import io.annals.bench.db.SqliteBenchDatabase;
import io.annals.bench.subject.AnnalsStoreOpener;
import io.annals.bench.subject.AppendingImporter;
import io.annals.bench.subject.OpenedStore;
import io.annals.store.inmemory.InMemoryEventStore;

/** Opens the Annals store that lives in the benchmark's database. */
public final class AnnalsStores {

    private AnnalsStores() {
    }

    public static AnnalsStoreOpener opener(BenchDatabase database) {
        return switch (database) {
            case PostgresBenchDatabase postgres -> inMemory();
            case SqliteBenchDatabase sqlite -> inMemory();
        };
    }

    /** The reference store, to try the harness while the database stores are being written. */
    public static AnnalsStoreOpener inMemory() {
        return (caseName, connections) -> {
            var store = new InMemoryEventStore();
            return new OpenedStore(store, new AppendingImporter(store, 1), store::close);
        };
    }
}
