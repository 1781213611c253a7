package io.annals.examples.user;

import io.annals.store.EventStore;
import io.annals.store.inmemory.InMemoryEventStore;
import io.annals.store.jdbc.JdbcEventStore;
import io.annals.store.postgres.PostgresEventStore;
import io.annals.store.postgres.testing.TestPostgres;
import io.annals.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The stores the user example's tests run on; drops the PostgreSQL schemas it made. */
final class RealStores {

    private final Path directory;
    private final List<String> schemas = new ArrayList<>();

    RealStores(Path directory) {
        this.directory = directory;
    }

    /** {@code sqlite}, {@code postgres} or {@code memory}. */
    EventStore open(String kind) {
        return kind.equals("memory") ? new InMemoryEventStore() : openJdbc(kind);
    }

    /** {@code sqlite} or {@code postgres}. */
    JdbcEventStore openJdbc(String kind) {
        return switch (kind) {
            case "sqlite" -> SqliteEventStore.open(directory.resolve("users.db"));
            case "postgres" -> {
                String schema = TestPostgres.get().freshSchema("users");
                schemas.add(schema);
                yield PostgresEventStore.builder(TestPostgres.get().jdbcUrl()).schema(schema).maxPoolSize(16).build();
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    void dropSchemas() {
        schemas.forEach(schema -> TestPostgres.get().dropSchema(schema));
    }
}
