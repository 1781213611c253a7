package io.annals.store.postgres;

import io.annals.store.postgres.testing.TestPostgres;
import io.annals.tck.CommandLogContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** Command records against a real PostgreSQL; one schema for the class, emptied before each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresCommandLogContractTest extends CommandLogContractTest<PostgresEventStore> {

    private final TestPostgres postgres = TestPostgres.get();
    private final String schema = postgres.freshSchema("commands");
    private boolean migrated;

    @Override
    protected PostgresEventStore createStore() {
        if (migrated) {
            postgres.emptySchema(schema);
        }
        var created = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).maxPoolSize(20).migrate(!migrated)
                .readYourWritesWait(PostgresStoreFixture.SHARED_SERVER_PATIENCE).build();
        migrated = true;
        return created;
    }

    @AfterAll
    void dropSchema() {
        postgres.dropSchema(schema);
    }
}
