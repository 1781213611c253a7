package io.annals.store.postgres;

import io.annals.store.postgres.testing.TestPostgres;
import io.annals.tck.AppendConditionContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** Tags, queries and append conditions against a real PostgreSQL; one schema for the class, emptied before each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresAppendConditionContractTest extends AppendConditionContractTest<PostgresEventStore> {

    private final TestPostgres postgres = TestPostgres.get();
    private final String schema = postgres.freshSchema("dcb");
    private boolean migrated;

    @Override
    protected PostgresEventStore createStore() {
        if (migrated) {
            postgres.emptySchema(schema);
        }
        var created = PostgresEventStore.builder(postgres.jdbcUrl()).schema(schema).maxPoolSize(8).migrate(!migrated)
                .readYourWritesWait(PostgresStoreFixture.SHARED_SERVER_PATIENCE).build();
        migrated = true;
        return created;
    }

    @AfterAll
    void dropSchema() {
        postgres.dropSchema(schema);
    }
}
