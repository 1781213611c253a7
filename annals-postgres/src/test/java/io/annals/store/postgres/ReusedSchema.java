package io.annals.store.postgres;

import io.annals.store.postgres.testing.TestPostgres;

/** One schema for a contract test class: migrated by the first store, emptied before every later one. */
final class ReusedSchema {

    private final TestPostgres postgres = TestPostgres.get();
    private final String schema;
    private boolean migrated;

    ReusedSchema(String hint) {
        this.schema = postgres.freshSchema(hint);
    }

    /** A store on the schema, holding no events. */
    PostgresEventStore emptyStore() {
        if (migrated) {
            postgres.emptySchema(schema);
        }
        var created = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).maxPoolSize(8).migrate(!migrated)
                .readYourWritesWait(PostgresStoreFixture.SHARED_SERVER_PATIENCE).build();
        migrated = true;
        return created;
    }

    void drop() {
        postgres.dropSchema(schema);
    }
}
