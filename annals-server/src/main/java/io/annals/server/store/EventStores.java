package io.annals.server.store;

import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.store.jsonlines.JsonLinesTransfer;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;

/** The one place that turns {@link StoreSettings} into a running store, and hands out each store's export and import. */
public final class EventStores {

    /** The SQLite file inside the data directory. */
    public static final String SQLITE_FILE = "annals.db";

    private EventStores() {
    }

    public static EventStore open(StoreSettings settings) {
        return switch (settings) {
            case StoreSettings.InMemory memory -> new InMemoryEventStore();
            case StoreSettings.Sqlite sqlite -> SqliteEventStore.open(sqliteFile(sqlite.dataDirectory()));
            case StoreSettings.Postgres postgres -> PostgresEventStore.builder(postgres.jdbcUrl()).schema(postgres.schema())
                    .maxPoolSize(postgres.poolSize()).build();
        };
    }

    public static Path sqliteFile(Path dataDirectory) {
        return dataDirectory.resolve(SQLITE_FILE);
    }

    /** The store's JSON lines export and import; every store the node opens has them. */
    public static JsonLinesTransfer transferFor(EventStore store) {
        if (store instanceof JsonLinesTransfer transfer) {
            return transfer;
        }
        throw new IllegalArgumentException(store.getClass().getSimpleName() + " has no export and import");
    }
}
