package io.annals.bench.subject;

import io.annals.store.EventStore;

/**
 * An Annals store opened for one case, with how it imports and exports in bulk and what to drop
 * afterwards.
 *
 * @param exporter the store's JSON lines export, or null when it has none
 * @param cleanup  closes the store and removes its schema or file
 */
public record OpenedStore(EventStore store, BenchSubject.BulkImporter importer, BenchSubject.Exporter exporter,
                          AutoCloseable cleanup)
        implements AutoCloseable {

    @Override
    public void close() throws Exception {
        cleanup.close();
    }
}
