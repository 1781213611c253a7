package io.annals.sagas;

import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.postgres.testing.TestPostgres;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;

/** The stores the module's tests run on: in memory, a real SQLite file, a fresh PostgreSQL schema. */
public final class TestStores {

    private TestStores() {
    }

    /** A store and what to do once it is closed. */
    public record Opened(EventStore store, Runnable cleanup) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
            cleanup.run();
        }
    }

    public static Opened inMemory() {
        return new Opened(new InMemoryEventStore(), () -> { });
    }

    public static Opened sqlite(Path directory) {
        return new Opened(SqliteEventStore.open(directory.resolve("sagas-" + java.util.UUID.randomUUID() + ".db")), () -> { });
    }

    public static Opened postgres(String hint) {
        TestPostgres postgres = TestPostgres.get();
        String schema = postgres.freshSchema(hint);
        return new Opened(PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).build(), () -> postgres.dropSchema(schema));
    }
}
