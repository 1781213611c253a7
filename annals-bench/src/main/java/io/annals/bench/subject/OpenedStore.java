package io.annals.bench.subject;

import io.annals.store.EventStore;

/**
 * An Annals store opened for one case, with how it imports in bulk and what to drop afterwards.
 *
 * @param cleanup closes the store and removes its schema or file
 */
public record OpenedStore(EventStore store, BenchSubject.BulkImporter importer, AutoCloseable cleanup)
        implements AutoCloseable {

    @Override
    public void close() throws Exception {
        cleanup.close();
    }
}
