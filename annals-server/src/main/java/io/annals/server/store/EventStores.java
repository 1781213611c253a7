package io.annals.server.store;

import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;

/** The one place that turns {@link StoreSettings} into a running store. */
public final class EventStores {

    private EventStores() {
    }

    public static EventStore open(StoreSettings settings) {
        return switch (settings) {
            case StoreSettings.InMemory memory -> new InMemoryEventStore();
            case StoreSettings.Sqlite sqlite -> throw new UnsupportedOperationException(
                    "the SQLite store is not built into this node yet; use --store memory");
            case StoreSettings.Postgres postgres -> throw new UnsupportedOperationException(
                    "the PostgreSQL store is not built into this node yet; use --store memory");
        };
    }
}
