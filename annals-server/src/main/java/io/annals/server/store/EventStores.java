package io.annals.server.store;

import io.annals.server.transfer.NdjsonTransfer;
import io.annals.server.transfer.PortableNdjsonTransfer;
import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.sqlite.SqliteEventStore;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
            case SqliteEventStore sqlite -> new NdjsonTransfer() {
                @Override
                public long exportTo(java.io.OutputStream out) throws java.io.IOException {
                    return sqlite.exportNdjson(out);
                }

                @Override
                public long importFrom(java.io.InputStream in) throws java.io.IOException {
                    return sqlite.importNdjson(in).eventsWritten();
                }
            };
            case PostgresEventStore postgres -> new NdjsonTransfer() {
                @Override
                public long exportTo(java.io.OutputStream out) throws java.io.IOException {
                    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    long count = postgres.exportEvents(writer);
                    writer.flush();
                    return count;
                }

                @Override
                public long importFrom(java.io.InputStream in) throws java.io.IOException {
                    return postgres.importEvents(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
            };
            default -> new PortableNdjsonTransfer(store);
        };
    }
}
