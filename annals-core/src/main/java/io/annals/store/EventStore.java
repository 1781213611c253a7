package io.annals.store;

/**
 * An event store: append to streams, read them back, read and follow the global order, delete.
 *
 * <p>Composed of small role interfaces so that a component can ask for only what it uses (a
 * projection needs {@link AllEventsReader} and {@link EventSubscriptions}, a repository needs
 * {@link StreamReader} and {@link StreamAppender}). All methods block; call them from virtual
 * threads when you need many at once. Implementations are thread-safe.
 */
public interface EventStore extends StreamAppender, StreamReader, AllEventsReader, EventSubscriptions,
        StreamDeleter, AutoCloseable {

    /**
     * Releases connections and ends every subscription. Afterwards every call on this store
     * throws {@link EventStoreClosedException}; closing again does nothing.
     */
    @Override
    void close();
}
