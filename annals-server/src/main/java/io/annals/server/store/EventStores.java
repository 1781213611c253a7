package io.annals.server.store;

import io.annals.server.transfer.NdjsonTransfer;
import io.annals.server.transfer.PortableNdjsonTransfer;
import io.annals.server.transfer.PostgresNdjsonTransfer;
import io.annals.server.transfer.SqliteNdjsonTransfer;
import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;

/** The one place that turns {@link StoreSettings} into a running store, and knows each store's bulk paths. */
public final class EventStores {

    /** The SQLite file inside the data directory. */
    public static final String SQLITE_FILE = "annals.db";

    private EventStores() {
    }

    public static EventStore open(StoreSettings settings) {
        return switch (settings) {
            case StoreSettings.InMemory memory -> new InMemoryEventStore();
            case StoreSettings.Sqlite sqlite -> SqliteEventStore.open(sqliteFile(sqlite.dataDirectory()));
            case StoreSettings.Postgres postgres -> PostgresEventStore.builder(postgres.jdbcUrl()).schema(postgres.schema()).build();
        };
    }

    public static Path sqliteFile(Path dataDirectory) {
        return dataDirectory.resolve(SQLITE_FILE);
    }

    /**
     * NDJSON export and import for a store: the store's own bulk path when it has one (PostgreSQL
     * imports through COPY, SQLite in large transactions, both keeping recording times), else
     * reads and appends through the store API.
     */
    public static NdjsonTransfer transferFor(EventStore store) {
        return switch (store) {
            case SqliteEventStore sqlite -> new SqliteNdjsonTransfer(sqlite);
            case PostgresEventStore postgres -> new PostgresNdjsonTransfer(postgres);
            default -> new PortableNdjsonTransfer(store);
        };
    }
}
